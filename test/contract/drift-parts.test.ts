/**
 * The parts of the drift check on their own: which fields count as undescribed (free-form objects on purpose do
 * not), how an example is shown (never a secret), how accepted entries match, and when a query probe may conclude
 * that a parameter was understood.
 */
import { describe, expect, it } from "vitest";
import { acceptedDrift, parseAcceptedDrift } from "../../src/contract/drift/accepted.js";
import { exampleValue } from "../../src/contract/drift/findings.js";
import { undeclaredHeaders } from "../../src/contract/drift/headers.js";
import { probeQueryParameters, probesFor, UNKNOWN_PARAMETER } from "../../src/contract/drift/query-probes.js";
import { createRedactor } from "../../src/contract/redact.js";
import { findOperation, responseBodySchema } from "../../src/shared/spec.js";
import { createUndescribedFieldFinder } from "../../src/shared/undescribed-fields.js";

const findUndescribed = createUndescribedFieldFinder();
const schemaOf = (method: string, path: string, status = 200) => {
  const schema = responseBodySchema(findOperation(method, path)!, status);
  if (!schema) throw new Error(`${method} ${path} ${status} has no schema`);
  return schema;
};

describe("undescribed fields", () => {
  it("finds a new field at any depth, once per path, in either shape of a list", () => {
    const schema = schemaOf("GET", "/organizations/{id}/connections");
    const link = { connection_id: "con_1", is_enabled: true, connection: { name: "db", strategy: "auth0", icon: "x.png" }, tier: "gold" };
    expect(findUndescribed(schema, { connections: [link, link], start: 0, limit: 50, total: 2, cursor: "abc" }).map((f) => f.path)).toEqual([
      "$.connections[*].connection.icon",
      "$.connections[*].tier",
      "$.cursor",
    ]);
    expect(findUndescribed(schema, [link]).map((f) => f.path)).toEqual(["$[*].connection.icon", "$[*].tier"]);
  });

  it("does not search objects the spec leaves free-form on purpose (metadata, a strategy's options)", () => {
    const connection = { id: "con_1", name: "db", strategy: "auth0", options: { brand_new_option: { deep: true } }, metadata: { anything: "goes" } };
    expect(findUndescribed(schemaOf("GET", "/connections/{id}"), connection)).toEqual([]);
    const organization = { id: "org_1", name: "acme", metadata: { region: "eu" }, branding: { logo_url: "https://x", new_color: "red" } };
    expect(findUndescribed(schemaOf("GET", "/organizations/{id}"), organization).map((f) => f.path)).toEqual(["$.branding.new_color"]);
  });

  it("finds nothing in the spec's own examples", () => {
    const op = findOperation("GET", "/organizations/{id}/enabled_connections")!;
    for (const example of Object.values(op.operation.responses["200"]?.content?.["application/json"]?.examples ?? {})) {
      expect(findUndescribed(schemaOf("GET", "/organizations/{id}/enabled_connections"), example.value)).toEqual([]);
    }
  });
});

describe("examples in drift findings", () => {
  const redact = createRedactor(["s3cr3t-client-secret-value"]);

  it("never shows a secret: by name, known secrets, bearer tokens and JWTs, before the value is cut", () => {
    expect(exampleValue("client_secret", "abcdefghijklmnop", redact)).toBe("[redacted]");
    expect(exampleValue("signing_keys", [{ cert: "x" }], redact)).toBe("[redacted]");
    expect(exampleValue("extra", { nested: { api_token: "abcdefghijkl" } }, redact)).toBe('{"nested":{"api_token":"[redacted]"}}');
    const long = `${"x".repeat(50)} s3cr3t-client-secret-value`;
    expect(exampleValue("note", long, redact)).not.toMatch(/s3cr3t|cret-val/);
    expect(exampleValue("auth", "Bearer abc.def.ghi", redact)).toBe('"Bearer [redacted]"');
    expect(exampleValue("tier", "x".repeat(200), redact)).toHaveLength(60);
  });
});

describe("undeclared headers", () => {
  it("leaves out HTTP, caching, CORS and infrastructure headers, and the declared ones", () => {
    const documented = findOperation("GET", "/connections/{id}")!.operation.responses["200"]!;
    const headers = {
      date: "x",
      "content-type": "application/json",
      "x-ratelimit-limit": "50",
      "access-control-allow-origin": "*",
      "cf-ray": "1",
      "x-auth0-new": "yes",
    };
    expect(undeclaredHeaders(documented, headers)).toEqual([["x-auth0-new", "yes"]]);
  });
});

describe("accepted drift", () => {
  it("matches by operation or operation id, kind and where (a trailing * takes everything below)", () => {
    const accepted = acceptedDrift(
      parseAcceptedDrift(
        {
          accepted: [
            { operation: "getConnection", kind: "response-field", where: "$.options_v2*", reason: "beta" },
            { operation: "GET /organizations/{id}", kind: "response-header", where: "X-Tier", reason: "infra" },
          ],
        },
        "test",
      ),
    );
    const base = { operation: "GET /connections/{id}", operationId: "getConnection", kind: "response-field" as const };
    expect(accepted.reasonFor({ ...base, where: "$.options_v2.x" })).toBe("beta");
    expect(accepted.reasonFor({ ...base, where: "$.other" })).toBeUndefined();
    expect(accepted.reasonFor({ ...base, kind: "query-parameter", where: "$.options_v2" })).toBeUndefined();
    expect(accepted.reasonFor({ operation: "GET /organizations/{id}", operationId: "getOrganization", kind: "response-header", where: "x-tier" })).toBe(
      "infra",
    );
  });

  it("says which entry is wrong and why", () => {
    expect(() => parseAcceptedDrift({ accepted: [{ operation: "x", kind: "response-field", where: "$.a" }] }, "f.yaml")).toThrow(
      "f.yaml: accepted[0] needs a non-empty 'reason'",
    );
    expect(() => parseAcceptedDrift([], "f.yaml")).toThrow("f.yaml: expected an object with an 'accepted' list");
  });
});

describe("query parameter probes", () => {
  const list = findOperation("GET", "/organizations/{id}/enabled_connections")!;
  const answer = (status: number) => ({ status, headers: {}, body: "" });

  it("tries the paging style a list lacks, and fields on a read", () => {
    expect(probesFor(list).map((p) => p.parameter)).toEqual(["take"]);
    expect(probesFor(findOperation("GET", "/connections/{id}/clients")!).map((p) => p.parameter)).toEqual(["page"]);
    expect(probesFor(findOperation("GET", "/organizations/{id}")!).map((p) => p.parameter)).toEqual(["fields"]);
    expect(probesFor(findOperation("GET", "/connections/{id}")!)).toEqual([]);
    expect(probesFor(findOperation("POST", "/organizations")!)).toEqual([]);
  });

  it("reports a parameter only when the target refuses a made-up one", async () => {
    const asked: Array<Record<string, string>> = [];
    const understood = await probeQueryParameters(list, "/organizations/org_1/enabled_connections", async (_path, query) => {
      asked.push(query);
      return answer(UNKNOWN_PARAMETER in query ? 400 : 200);
    });
    expect(understood).toEqual([{ parameter: "take", value: "1" }]);
    expect(asked).toEqual([{ take: "1" }, { [UNKNOWN_PARAMETER]: "1" }]);
  });

  it("reports nothing where the target refuses the parameter, or ignores every unknown one", async () => {
    let sent = 0;
    expect(await probeQueryParameters(list, "/p", async () => (sent++, answer(400)))).toEqual([]);
    expect(sent, "a refusal costs one request").toBe(1);
    expect(await probeQueryParameters(list, "/p", async () => answer(200))).toEqual([]);
  });
});
