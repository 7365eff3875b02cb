/** The harvest tool's reading of cassettes and its checks: what it keeps is what a live tenant answered. */
import { describe, expect, it } from "vitest";
import { createOperationMatcher } from "../../src/shared/response-validation.js";
import { createSpecAjv } from "../../src/shared/spec.js";
import { interactionSpecProblems, type RecordedInteraction } from "../helpers/recording-checks.js";
import { looksHandWritten, readCassette, toRecordedInteraction } from "./cassettes.js";

const match = createOperationMatcher();
const CONNECTION = '{"id":"con_19ppiLi06mJiACx6","strategy":"apple","name":"apple-1","is_domain_connection":false,"enabled_clients":[],"realms":["apple-1"]}';

const goVcr = (duration: string) => `---
version: 2
interactions:
    - id: 0
      request:
        body: ""
        url: https://go-auth0-dev.eu.auth0.com/api/v2/connections/con_19ppiLi06mJiACx6?fields=name%2Cid&include_fields=false
        method: GET
      response:
        body: '${CONNECTION}'
        headers:
            Content-Type:
                - application/json; charset=utf-8
        status: 200 OK
        code: 200
        duration: ${duration}
`;

describe("reading cassettes", () => {
  it("turns a go-vcr interaction into the fixture form, with the query parsed", () => {
    const [raw] = readCassette("x.yaml", goVcr("182.440875ms"))!;
    const recorded = toRecordedInteraction(raw!, "auth0/go-auth0@12345678:x.yaml#0", match) as RecordedInteraction;
    expect(recorded).toMatchObject({
      method: "GET",
      pathTemplate: "/connections/{id}",
      status: 200,
      query: { fields: "name,id", include_fields: "false" },
      requestBody: null,
    });
    expect(recorded.url).toBe("/api/v2/connections/con_19ppiLi06mJiACx6?fields=name%2Cid&include_fields=false");
    expect(recorded.responseBody).toEqual(JSON.parse(CONNECTION));
  });

  it("reads Ruby's VCR with a !binary body, and nock's JSON", () => {
    const ruby = `---
http_interactions:
- request:
    method: get
    uri: https://auth0-sdk-tests.auth0.com/api/v2/connections/con_19ppiLi06mJiACx6
    body:
      encoding: US-ASCII
      string: ''
  response:
    status:
      code: 200
    headers:
      Content-Type:
      - application/json; charset=utf-8
    body:
      encoding: ASCII-8BIT
      string: !binary |-
        ${Buffer.from(CONNECTION).toString("base64")}
`;
    expect(readCassette("x.yml", ruby)?.[0]).toMatchObject({ method: "GET", status: 200, responseBody: CONNECTION });
    const nock = JSON.stringify([
      {
        scope: "https://deploy-cli-dev.eu.auth0.com:443",
        method: "DELETE",
        path: "/api/v2/connections/con_19ppiLi06mJiACx6",
        body: {},
        status: 202,
        response: { deleted_at: "2024-10-14T09:10:06.328Z" },
      },
    ]);
    expect(readCassette("x.json", nock)?.[0]).toMatchObject({
      url: "https://deploy-cli-dev.eu.auth0.com/api/v2/connections/con_19ppiLi06mJiACx6",
      requestBody: "{}",
      status: 202,
    });
  });

  it("skips other hosts and operations the spec does not describe", () => {
    const raw = readCassette("x.yaml", goVcr("182.440875ms"))![0]!;
    expect(toRecordedInteraction({ ...raw, url: "https://example.com/api/v2/connections/con_19ppiLi06mJiACx6" }, "s", match)).toBe("host example.com");
    expect(toRecordedInteraction({ ...raw, url: "https://t.auth0.com/api/v2/users" }, "s", match)).toBe("an operation the spec does not describe");
  });

  it("recognises typed-in durations, but not the 1ms go-auth0's early recorder wrote for real answers", () => {
    expect(looksHandWritten(readCassette("x.yaml", goVcr("350ms"))!)).toBe(true);
    expect(looksHandWritten(readCassette("x.yaml", goVcr("1.023456789s"))!)).toBe(true);
    expect(looksHandWritten(readCassette("x.yaml", goVcr("1ms"))!)).toBe(false);
    expect(looksHandWritten(readCassette("x.yaml", goVcr("349.379959ms"))!)).toBe(false);
  });
});

describe("checking an interaction against the spec", () => {
  const ajv = createSpecAjv();
  const deletion = (requestBody: unknown): RecordedInteraction => ({
    source: "s",
    method: "DELETE",
    url: "/api/v2/connections/con_19ppiLi06mJiACx6",
    pathTemplate: "/connections/{id}",
    query: {},
    requestBody,
    status: 202,
    responseContentType: "application/json; charset=utf-8",
    responseBody: { deleted_at: "2024-10-14T09:10:06.328Z" },
  });

  it("reads an empty object sent to an operation without a body as no body, and flags anything more", () => {
    expect(interactionSpecProblems(deletion({}), ajv)).toEqual([]);
    expect(interactionSpecProblems(deletion(null), ajv)).toEqual([]);
    expect(interactionSpecProblems(deletion({ force: true }), ajv)).toEqual(["a request body was accepted but the spec takes none"]);
  });
});
