/**
 * The HTTP transport (issue 16): requests are read straight off the socket into the core's plain request, so what
 * @hono/node-server used to do for the emulator is the adapter's job now — the body limit while reading, dot
 * segments in the target, HEAD, repeated headers — and the routing table compiled from the spec must match as the
 * spec's templates say.
 */
import { connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, MAX_PAYLOAD_BYTES, type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { TemplateRouter } from "../../src/emulator/router.js";
import { createOperationMatcher } from "../../src/shared/response-validation.js";
import { listOperations } from "../../src/shared/spec.js";
import { sendRaw, sendRawBytes } from "../harness/fuzz/raw-http.js";

let running: RunningEmulator;
let token: string;
const ORG = "org_transport00000001";
beforeEach(async () => {
  running = await startEmulator({ seed: { organizations: [{ id: ORG, name: "acme" }] } });
  token = await running.issueToken();
});
afterEach(() => running.close());

/** Sends a request whose body is written in chunks until the server answers or closes; how many bytes went out. */
function endlessBody(port: number, head: string): Promise<{ answer: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunk = `${(64 * 1024).toString(16)}\r\n${"a".repeat(64 * 1024)}\r\n`;
    let answer = "";
    let sent = 0;
    socket.setTimeout(10_000, () => socket.destroy(new Error("no answer")));
    const pump = () => {
      while (!socket.destroyed && answer === "" && sent < 40 * MAX_PAYLOAD_BYTES) {
        sent += 64 * 1024;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
    };
    socket.on("data", (data) => (answer += String(data)));
    socket.on("error", () => resolve({ answer, sent }));
    socket.on("close", () => resolve({ answer, sent }));
    socket.on("connect", () => {
      socket.write(head);
      pump();
    });
    socket.on("timeout", () => reject(new Error("no answer")));
  });
}

describe("the node:http transport", () => {
  it("refuses a body over 1 MB while reading it, declared or chunked, and keeps serving", async () => {
    const declared = await sendRaw(running.url, {
      method: "POST",
      path: "/api/v2/organizations",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": String(MAX_PAYLOAD_BYTES + 1) },
      body: "{}",
    }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    // The server may close before the client finishes; when it answered, it was Auth0's 400.
    if (!(declared instanceof Error)) expect(declared.status).toBe(400);

    const chunked = await endlessBody(
      running.port,
      `POST /api/v2/organizations HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    expect(chunked.answer).toMatch(/^HTTP\/1\.1 400/);
    expect(chunked.answer).toMatch(/Payload content length greater than maximum allowed/);
    expect(chunked.sent).toBeLessThan(40 * MAX_PAYLOAD_BYTES);

    const token400 = await endlessBody(
      running.port,
      "POST /oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    expect(token400.answer).toMatch(/^HTTP\/1\.1 400/);
    expect(token400.answer).toMatch(/"error":"invalid_request"/);

    expect(running.state.snapshot().organizations.map((organization) => organization.name)).toEqual(["acme"]);
    expect((await sendRaw(running.url, { method: "GET", path: `/api/v2/organizations/${ORG}`, headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
  });

  it("resolves dot segments in the target as a URL parser does, and answers HEAD like GET without a body", async () => {
    const resolved = await sendRaw(running.url, {
      method: "GET",
      path: `/api/v2/organizations/elsewhere/../${ORG}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(resolved.status).toBe(200);
    expect(JSON.parse(resolved.body)).toMatchObject({ id: ORG });
    const head = await sendRaw(running.url, { method: "HEAD", path: `/api/v2/organizations/${ORG}`, headers: { authorization: `Bearer ${token}` } });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers["x-ratelimit-limit"]).toBeDefined();
  });

  it("answers a malformed Host or request target with Auth0's 400", async () => {
    for (const request of [
      "GET /api/v2\\organizations HTTP/1.1\r\nHost: localhost\r\n\r\n",
      "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n",
      "GET /api/v2/organizations HTTP/1.1\r\nHost: bad host/\r\n\r\n",
    ]) {
      const answer = await sendRawBytes(running.url, request);
      expect(answer.status, request).toBe(400);
      expect(JSON.parse(answer.body), request).toMatchObject({ statusCode: 400, error: "Bad Request" });
      expect(answer.headers.connection, request).toBe("close");
    }
  });
});

describe("the routing table compiled from the spec's templates", () => {
  const router = new TemplateRouter([
    { method: "GET", template: "/organizations/name/{name}", value: "byName" },
    { method: "GET", template: "/organizations/{id}/connections", value: "links" },
    { method: "GET", template: "/organizations/{id}", value: "organization" },
  ]);

  it("matches by method, segment count and literal segments, and percent-decodes parameters", () => {
    expect(router.match("GET", "/organizations/org_1")).toEqual({ value: "organization", params: { id: "org_1" } });
    expect(router.match("GET", "/organizations/org_%2F..%2Fx/connections")).toEqual({ value: "links", params: { id: "org_/../x" } });
    expect(router.match("GET", "/organizations/name/acme")).toEqual({ value: "byName", params: { name: "acme" } });
    expect(router.match("DELETE", "/organizations/org_1")).toBeUndefined();
    expect(router.match("GET", "/organizations/org_1/members")).toBeUndefined();
    expect(router.match("GET", "/organizations//connections")).toBeUndefined();
  });

  it("lets the more specific template win when two match, whatever their order, and keeps a malformed escape as sent", () => {
    expect(router.match("GET", "/organizations/name/connections")?.value).toBe("byName");
    const reversed = new TemplateRouter([
      { method: "GET", template: "/organizations/{id}/connections", value: "links" },
      { method: "GET", template: "/organizations/name/{name}", value: "byName" },
    ]);
    expect(reversed.match("GET", "/organizations/name/connections")).toEqual({ value: "byName", params: { name: "connections" } });
    expect(reversed.match("GET", "/organizations/org_1/connections")).toEqual({ value: "links", params: { id: "org_1" } });
    expect(router.match("GET", "/organizations/%zz")).toEqual({ value: "organization", params: { id: "%zz" } });
  });

  it("agrees with the response validator on every path where two of the spec's templates overlap", async () => {
    // An organization may be named after any list below it; its lookup by name must be validated as such.
    const emulator = createEmulator({ seed: { organizations: [{ id: "org_named_like_a_list", name: "connections" }] } });
    const token = await emulator.issueToken();
    const matchOperation = createOperationMatcher();
    for (const op of listOperations().filter((o) => o.method === "get" && /^\/organizations\/\{id\}\/[\w-]+$/.test(o.pathTemplate))) {
      const path = op.pathTemplate.replace("{id}", "name");
      expect(matchOperation("get", path)?.operationId, path).toBe("getOrganizationByName");
    }
    const answer = await emulator.fetch(`https://${emulator.domain}/api/v2/organizations/name/connections`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ id: "org_named_like_a_list", name: "connections" });
  });
});
