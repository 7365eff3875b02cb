/**
 * The same app over a real socket (startEmulator), used through openapi-fetch both in-process and over HTTP;
 * user middleware around the whole app; and the response validator itself (it must catch a broken response).
 */
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import type { paths } from "../../generated/schema.js";
import { createEmulator, type EmulatorMiddleware, startEmulator } from "../../src/emulator/index.js";
import { listOperations } from "../../src/shared/spec.js";
import { callWith, type ResponseLog, testEmulator, validatingFetch } from "./helpers.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Deliberately breaks responses: drops `is_enabled` from organization connections. */
const dropIsEnabled: EmulatorMiddleware = async (request, next) => {
  const response = await next(request);
  if (!/\/organizations\/[^/]+\/connections/.test(new URL(request.url).pathname) || response.status >= 300) return response;
  const body = (await response.json()) as Record<string, unknown>;
  delete body.is_enabled;
  return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
};

describe("startEmulator", () => {
  it("listens on loopback, serves the API over HTTP and closes", async () => {
    const running = await startEmulator();
    closers.push(() => running.close());
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.baseUrl).toBe(`${running.url}/api/v2`);

    const log: ResponseLog = { violations: [], checked: 0 };
    const httpFetch = validatingFetch((request) => fetch(request), log);
    const token = await running.issueToken();
    const org = await callWith(httpFetch, running.url, token, "POST", "/organizations", { body: { name: "acme" } });
    expect(org.status).toBe(201);
    // A 204 over a real socket still carries the JSON content type.
    const deleted = await callWith(httpFetch, running.url, token, "DELETE", `/organizations/${org.body.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.headers.get("content-type")).toBe("application/json");
    expect(log.violations).toEqual([]);
    expect(log.checked).toBe(2);
  });

  it("works as openapi-fetch's fetch, in-process and over HTTP", async () => {
    const emulator = createEmulator();
    const token = await emulator.issueToken();
    const inProcess = createClient<paths>({ baseUrl: "http://emulator.local/api/v2", fetch: emulator.fetch, headers: { authorization: `Bearer ${token}` } });
    const { data, response } = await inProcess.POST("/organizations", { body: { name: "typed" } });
    expect(response.status).toBe(201);
    expect(data?.name).toBe("typed");

    const running = await startEmulator();
    closers.push(() => running.close());
    const overHttp = createClient<paths>({ baseUrl: running.baseUrl, headers: { authorization: `Bearer ${await running.issueToken()}` } });
    const missing = await overHttp.GET("/organizations/{id}", { params: { path: { id: "org_nope" } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.message).toBe("No organization found by that id or name");
  });

  it("serves every operation in the spec (each answers 401 without a token, never the unknown-route 404)", async () => {
    const emulator = createEmulator();
    for (const op of listOperations()) {
      const url = `http://emulator.local/api/v2${op.pathTemplate.replace(/\{[^}]+\}/g, "x1")}`;
      const response = await emulator.fetch(new Request(url, { method: op.method.toUpperCase() }));
      expect(response.status, `${op.method} ${op.pathTemplate}`).toBe(401);
    }
  });
});

describe("middleware", () => {
  it("wraps the whole app in-process and over HTTP, outermost first", async () => {
    const order: string[] = [];
    const tag =
      (name: string): EmulatorMiddleware =>
      async (request, next) => {
        order.push(name);
        const response = await next(request);
        response.headers.set(`x-${name}`, "1");
        return response;
      };
    const running = await startEmulator({ middleware: [tag("outer"), tag("inner")] });
    closers.push(() => running.close());
    const viaHttp = await fetch(`${running.url}/.well-known/jwks.json`);
    expect(viaHttp.headers.get("x-outer")).toBe("1");
    const inProcess = await running.fetch(new Request(`${running.url}/api/v2/organizations/x`));
    expect(inProcess.headers.get("x-inner")).toBe("1");
    expect(order).toEqual(["outer", "inner", "outer", "inner"]);
  });

  it("can break responses — and the response validator used by every emulator test catches it", async () => {
    const t = await testEmulator({ middleware: [dropIsEnabled] });
    const org = (await t.call("POST", "/organizations", { body: { name: "acme" } })).body.id;
    const con = (await t.call("POST", "/connections", { body: { name: "db", strategy: "auth0" } })).body.id;
    await expect(t.call("POST", `/organizations/${org}/connections`, { body: { connection_id: con } })).rejects.toThrow(
      /missing required property 'is_enabled'/,
    );
    expect(t.log.violations).toHaveLength(1);
  });

  it("the validator also rejects an undocumented status and a 204 without the JSON content type", async () => {
    const wrongStatus: EmulatorMiddleware = async (request, next) => {
      const response = await next(request);
      return response.status === 404 ? new Response(await response.text(), { status: 418, headers: response.headers }) : response;
    };
    const t = await testEmulator({ middleware: [wrongStatus] });
    await expect(t.call("GET", "/organizations/org_nope")).rejects.toThrow(/status 418 is not documented/);

    const bareNoContent: EmulatorMiddleware = async (request, next) => {
      const response = await next(request);
      return response.status === 204
        ? new Response(null, { status: 204, headers: { "x-ratelimit-limit": "1", "x-ratelimit-remaining": "1", "x-ratelimit-reset": "1" } })
        : response;
    };
    const u = await testEmulator({ middleware: [bareNoContent] });
    await expect(u.call("DELETE", "/connections/con_nope")).rejects.toThrow(/204 without Content-Type/);
  });
});
