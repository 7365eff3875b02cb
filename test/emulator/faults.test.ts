/** Fault injection: latency, forced statuses, dropped connections (in-process and over real HTTP). */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { auth0Error, callWith, type ResponseLog, type TestEmulator, testEmulator, validatingFetch } from "./helpers.js";

let t: TestEmulator;
afterEach(() => t.expectNoViolations());

// Forced 500/503s are outside the contract on purpose; their bodies must still be Auth0's error shape.
const allowForced = { allowUndocumented: [500, 503] };

describe("fault injection", () => {
  it("adds latency", async () => {
    t = await testEmulator({ faults: { latencyMs: 120 } });
    const started = performance.now();
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("forces a status for the next N requests, then behaves normally, and changes nothing meanwhile", async () => {
    t = await testEmulator({ faults: { status: { code: 503, count: 2 } } }, allowForced);
    const first = await t.call("POST", "/organizations", { body: { name: "acme" } });
    expect(first.status).toBe(503);
    expect(first.body).toEqual(auth0Error(503, "Service Unavailable", "Service Unavailable"));
    expect((await t.call("POST", "/organizations", { body: { name: "acme" } })).status).toBe(503);
    expect(t.emulator.state.snapshot().organizations).toEqual([]);
    expect((await t.call("POST", "/organizations", { body: { name: "acme" } })).status).toBe(201);
    expect(t.emulator.faults.current().status?.count).toBe(0);
  });

  it("forces 429 in Auth0's shape with remaining 0", async () => {
    t = await testEmulator({ faults: { status: { code: 429, count: 1 } } });
    const res = await t.call("GET", "/organizations/org_x");
    expect(res.status).toBe(429);
    expect(res.body.errorCode).toBe("too_many_requests");
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("forces a status for a fraction of requests", async () => {
    t = await testEmulator({ faults: { status: { code: 500, fraction: 0.5 } } }, allowForced);
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await t.call("GET", "/organizations/org_x")).status);
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(50);
    expect(failed).toBeLessThan(150);
    expect(statuses.filter((s) => s !== 500).every((s) => s === 404)).toBe(true);
  });

  it("drops the connection in-process: fetch rejects like a network failure", async () => {
    t = await testEmulator({ faults: { drop: { count: 1 } } });
    await expect(t.call("GET", "/organizations/org_x")).rejects.toThrow(TypeError);
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
  });

  it("can be set and cleared programmatically; the admin API is never faulted", async () => {
    t = await testEmulator({}, allowForced);
    t.emulator.faults.set({ status: { code: 500 } });
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(500);
    const admin = await t.emulator.fetch(new Request("http://localhost/__emulator/state"));
    expect(admin.status).toBe(200);
    t.emulator.faults.clear();
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
    expect(() => t.emulator.faults.set({ status: { code: 418 as never } })).toThrow(/429, 500 or 503/);
  });

  it("drops a real HTTP connection: the socket closes without an answer, and the server keeps serving", async () => {
    t = await testEmulator();
    const running = await startEmulator({ faults: { drop: { count: 1 } } });
    try {
      const log: ResponseLog = { violations: [], checked: 0 };
      const httpFetch = validatingFetch((request) => fetch(request), log);
      const token = await running.issueToken();
      const dropped = await callWith(httpFetch, running.url, token, "GET", "/organizations/org_x").then(
        () => "answered",
        (error: unknown) => error,
      );
      expect(dropped).toBeInstanceOf(TypeError);
      expect(String((dropped as TypeError).cause)).toMatch(/socket|closed|terminated|reset/i);
      expect((await callWith(httpFetch, running.url, token, "GET", "/organizations/org_x")).status).toBe(404);
      expect(log.violations).toEqual([]);
    } finally {
      await running.close();
    }
  });
});

/** Issue 21: faults aimed like msw overrides, at one operation, method or path, for a number of requests. */
describe("aimed faults", () => {
  const tokenRequest = (emulator: TestEmulator["emulator"]) =>
    emulator.fetch("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: "m2m", client_secret: "m2m-secret-value" }),
    });
  const seed = { clients: [{ client_id: "m2m", name: "tests", client_secret: "m2m-secret-value" }] };

  it("hits only the operation named, once, and tells the client to retry at once (Retry-After: 0)", async () => {
    t = await testEmulator({ seed }, allowForced);
    t.emulator.faults.add({ operation: "createOrganization", status: { code: 503 }, once: true });
    expect((await t.call("GET", "/organizations")).status).toBe(200);
    const failed = await t.call("POST", "/organizations", { body: { name: "acme" } });
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("0");
    // The rate-limit window it names is no later than the next whole second, so clients that wait for it wait little.
    expect(Number(failed.headers.get("x-ratelimit-reset")) * 1000 - Date.now()).toBeLessThanOrEqual(1_000);
    expect((await t.call("POST", "/organizations", { body: { name: "acme" } })).status).toBe(201);
    expect(t.emulator.faults.list()).toEqual([]);
  });

  it("aims by method and path template, or by a concrete path, for a number of requests (times)", async () => {
    t = await testEmulator(
      {
        seed: {
          organizations: [
            { id: "org_aaaaaaaaaaaaaaaa", name: "a" },
            { id: "org_bbbbbbbbbbbbbbbb", name: "b" },
          ],
        },
      },
      allowForced,
    );
    t.emulator.faults.add({ method: "GET", path: "/organizations/{id}", status: { code: 500 }, times: 2 });
    expect((await t.call("GET", "/organizations/org_aaaaaaaaaaaaaaaa")).status).toBe(500);
    expect((await t.call("PATCH", "/organizations/org_aaaaaaaaaaaaaaaa", { body: { display_name: "A" } })).status).toBe(200);
    expect((await t.call("GET", "/organizations/org_bbbbbbbbbbbbbbbb")).status).toBe(500);
    expect((await t.call("GET", "/organizations/org_bbbbbbbbbbbbbbbb")).status).toBe(200);
    t.emulator.faults.add({ path: "/api/v2/organizations/org_bbbbbbbbbbbbbbbb", status: { code: 429, retryAfter: 3 }, once: true });
    expect((await t.call("GET", "/organizations/org_aaaaaaaaaaaaaaaa")).status).toBe(200);
    const limited = await t.call("GET", "/organizations/org_bbbbbbbbbbbbbbbb");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
  });

  it("leaves the token endpoint alone unless it is named", async () => {
    t = await testEmulator({ seed }, allowForced);
    t.emulator.faults.set({ status: { code: 429 } });
    expect((await tokenRequest(t.emulator)).status).toBe(200);
    expect((await t.call("GET", "/organizations")).status).toBe(429);
    t.emulator.faults.set({ path: "/oauth/token", status: { code: 503 }, once: true });
    expect((await tokenRequest(t.emulator)).status).toBe(503);
    expect((await tokenRequest(t.emulator)).status).toBe(200);
    expect((await t.call("GET", "/organizations")).status).toBe(200);
  });

  it("lists what is in force, newest first, and clears it; reset puts the start-up faults back", async () => {
    t = await testEmulator({ faults: { latencyMs: 1 } }, allowForced);
    t.emulator.faults.add({ operation: "listOrganizations", status: { code: 500 }, times: 3 });
    t.emulator.faults.add({ operation: "getOrganization", drop: {} });
    expect(t.emulator.faults.list()).toEqual([
      { operation: "getOrganization", drop: {} },
      { operation: "listOrganizations", status: { code: 500 }, times: 3 },
      { latencyMs: 1 },
    ]);
    expect((await t.call("GET", "/organizations")).status).toBe(500);
    expect(t.emulator.faults.list()[1]).toMatchObject({ times: 2 });
    t.emulator.faults.clear();
    expect(t.emulator.faults.list()).toEqual([]);
    t.emulator.faults.add({ operation: "listOrganizations", status: { code: 500 } });
    t.emulator.state.reset();
    expect(t.emulator.faults.list()).toEqual([{ latencyMs: 1 }]);
  });

  it("refuses a target that matches nothing, naming it", async () => {
    t = await testEmulator();
    expect(() => t.emulator.faults.add({ operation: "createOrganisation", status: { code: 503 } })).toThrow(/unknown operation "createOrganisation"/);
    expect(() => t.emulator.faults.add({ path: "/organisations/{id}", status: { code: 503 } })).toThrow(
      /no operation has the path template "\/organisations\/\{id\}"/,
    );
    expect(() => t.emulator.faults.add({ method: "FETCH", status: { code: 503 } })).toThrow(/method/);
    expect(() => t.emulator.faults.add({ operation: "createOrganization", status: { code: 503 }, times: 0 })).toThrow(/times/);
    expect(() => t.emulator.faults.add({ operation: "createOrganization", status: { code: 503, retryAfter: -1 } })).toThrow(/retryAfter/);
  });

  it("works the same through the admin API: add (POST /__emulator/faults/rules), list, delete", async () => {
    t = await testEmulator({}, allowForced);
    const admin = (method: string, body?: unknown, path = "/__emulator/faults") =>
      t.emulator.fetch(path, {
        method,
        headers: method === "GET" ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await admin("POST", { operation: "createOrganization", status: { code: 503 }, once: true }, "/__emulator/faults/rules")).status).toBe(200);
    expect(await (await admin("GET")).json()).toEqual({ rules: [{ operation: "createOrganization", status: { code: 503 }, times: 1 }] });
    const refused = await admin("POST", { operation: "nope", status: { code: 503 } }, "/__emulator/faults/rules");
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/unknown operation "nope"/);
    expect((await t.call("POST", "/organizations", { body: { name: "acme" } })).status).toBe(503);
    expect((await admin("DELETE")).status).toBe(204);
    expect(await (await admin("GET")).json()).toEqual({});
  });
});
