/**
 * Bad input of every kind gets a 400 in Auth0's shape and changes nothing; never a 500 or a stack trace.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_PAYLOAD_BYTES } from "../../src/emulator/index.js";
import { listOperations } from "../../src/shared/spec.js";
import { auth0Error, basicTenant, type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
let ids: { org: string; db: string; okta: string };
beforeEach(async () => {
  t = await testEmulator();
  ids = await basicTenant(t);
});
afterEach(() => t.expectNoViolations());

describe("request bodies", () => {
  it("malformed JSON → 400 invalid_body, nothing created", async () => {
    const before = t.emulator.state.snapshot();
    const res = await t.call("POST", "/organizations", { rawBody: '{"name": "acme-2",', headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(auth0Error(400, "Bad Request", "Invalid request payload JSON format", "invalid_body"));
    expect(t.emulator.state.snapshot()).toEqual(before);
  });

  it("a content type other than JSON → 400 invalid_body", async () => {
    const res = await t.call("POST", "/organizations", { rawBody: "name=acme-2", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe("invalid_body");
    expect(res.body.message).toMatch(/Content-Type must be application\/json/);
  });

  it("a body over 1 MB → 400 invalid_body, with or without a Content-Length", async () => {
    const big = JSON.stringify({ name: "big", display_name: "x".repeat(MAX_PAYLOAD_BYTES) });
    const res = await t.call("POST", "/organizations", { rawBody: big, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(auth0Error(400, "Bad Request", `Payload content length greater than maximum allowed: ${MAX_PAYLOAD_BYTES}`, "invalid_body"));

    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
        for (let i = 0; i < 20; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const request = new Request(`http://emulator.test/api/v2/organizations`, {
      method: "POST",
      body: stream,
      duplex: "half",
      headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json" },
    } as RequestInit);
    const streamed = await t.fetch(request);
    expect(streamed.status).toBe(400);
    expect(((await streamed.json()) as { message: string }).message).toMatch(/greater than maximum allowed/);
  });

  it("a missing body → 400 saying what type was expected", async () => {
    const res = await t.call("POST", `/organizations/${ids.org}/connections`);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("Payload validation error: 'Expected type object but found type null'.");
  });

  it("JSON of the wrong type at the top level → 400", async () => {
    for (const body of [[], "text", 42, true]) {
      const res = await t.call("POST", `/organizations/${ids.org}/enabled_connections`, { body });
      expect(res.status).toBe(400);
      expect(res.body.errorCode).toBe("invalid_body");
    }
  });
});

describe("routes", () => {
  it("an unknown path or method under /api/v2 → Auth0-shaped 404 with the rate-limit headers", async () => {
    for (const [method, path] of [
      ["GET", "/users"],
      ["PUT", `/organizations/${ids.org}`],
      ["DELETE", "/connections"],
    ] as const) {
      const res = await t.call(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual(auth0Error(404, "Not Found", "Not Found"));
      expect(res.headers.get("x-ratelimit-limit")).not.toBeNull();
    }
  });

  it("path ids are URL-decoded before they are checked", async () => {
    const res = await t.call("GET", `/organizations/${encodeURIComponent("org_/../x")}`);
    expect(res.status).toBe(404);
  });
});

describe("property: no input makes the emulator fail", () => {
  const writeOps = listOperations().filter((op) => op.operation.requestBody);

  it("arbitrary JSON bodies give a documented status, never a 500, and a 4xx never changes state", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writeOps), fc.jsonValue(), async (op, body) => {
        const path = op.pathTemplate.replace("{id}", op.pathTemplate.startsWith("/organizations") ? ids.org : ids.db).replace(/\{[^}]+\}/g, ids.db);
        const before = JSON.stringify(t.emulator.state.snapshot());
        const res = await t.call(op.method.toUpperCase(), path, { body });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(JSON.stringify(t.emulator.state.snapshot())).toBe(before);
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it("arbitrary query strings give 200 or invalid_query_string", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom("page", "per_page", "include_totals", "is_enabled", "x"), fc.string({ maxLength: 6 })), async (query) => {
        const res = await t.call("GET", `/organizations/${ids.org}/connections`, { query });
        if (res.status !== 200) {
          expect(res.status).toBe(400);
          expect(res.body.errorCode).toBe("invalid_query_string");
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
