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
