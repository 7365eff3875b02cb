/** Auth0's global rate limit: headers on every response, 429 in Auth0's shape past the limit. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { auth0Error, type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
afterEach(() => t.expectNoViolations());

describe("rate limiting", () => {
  it("sends x-ratelimit-* on every response, counting down, with the reset as UNIX seconds", async () => {
    t = await testEmulator({ rateLimit: { limit: 5, windowMs: 60_000 } });
    const first = await t.call("GET", "/organizations/org_x");
    const second = await t.call("GET", "/organizations/org_x", { token: null });
    expect(first.headers.get("x-ratelimit-limit")).toBe("5");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("4");
    expect(second.headers.get("x-ratelimit-remaining")).toBe("3");
    const reset = Number(first.headers.get("x-ratelimit-reset"));
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
  });

  it("answers 429 Global limit has been reached past the limit, without carrying the request out", async () => {
    t = await testEmulator({ rateLimit: { limit: 2, windowMs: 60_000 } });
    await t.call("POST", "/organizations", { body: { name: "one" } });
    await t.call("POST", "/organizations", { body: { name: "two" } });
    const limited = await t.call("POST", "/organizations", { body: { name: "three" } });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(auth0Error(429, "Too Many Requests", "Global limit has been reached", "too_many_requests"));
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(t.emulator.state.snapshot().organizations.map((o) => o.name)).toEqual(["one", "two"]);
  });

  it("refills when the window passes", async () => {
    // The machine's clock stands still (only Date is faked), so a slow machine cannot refill the bucket between calls.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      t = await testEmulator({ rateLimit: { limit: 1, windowMs: 200 } });
      expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
      expect((await t.call("GET", "/organizations/org_x")).status).toBe(429);
      t.emulator.clock.advance(200);
      expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rateLimit: false never limits but still sends the headers; the default is generous", async () => {
    t = await testEmulator({ rateLimit: false });
    for (let i = 0; i < 50; i++) expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
    expect((await t.call("GET", "/organizations/org_x")).headers.get("x-ratelimit-limit")).not.toBeNull();
    const defaults = await testEmulator();
    expect(Number((await defaults.call("GET", "/organizations/org_x")).headers.get("x-ratelimit-limit"))).toBeGreaterThanOrEqual(100_000);
  });

  it("by default refills every second like Auth0, so x-ratelimit-reset is at most a second or two ahead", async () => {
    t = await testEmulator();
    const before = Math.ceil(Date.now() / 1000);
    const reset = Number((await t.call("GET", "/organizations/org_x")).headers.get("x-ratelimit-reset"));
    // Measured from when the answer arrived, so a pause of the machine before it cannot fail the check.
    const answeredAt = Math.ceil(Date.now() / 1000);
    expect(reset).toBeGreaterThanOrEqual(before);
    expect(reset).toBeLessThanOrEqual(answeredAt + 2);
  });

  it("rejects nonsense settings at start-up", async () => {
    await expect(testEmulator({ rateLimit: { limit: -1, windowMs: 1000 } })).rejects.toThrow(/rateLimit/);
    t = await testEmulator();
  });
});
