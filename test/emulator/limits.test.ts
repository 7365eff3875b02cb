/**
 * Auth0's rate limits as token buckets: a tenant bucket and endpoint-group buckets, each a burst and a sustained
 * rate, several drawn on by one request; presets by subscription type; a shape of one's own; the clock tests move.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LIMIT_PRESETS } from "../../src/emulator/index.js";
import { auth0Error, basicTenant, type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
// The machine's clock stands still (only Date is faked): the emulator's clock moves only when a test moves it, so
// "none before" holds however slow the machine is.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
});
afterEach(() => {
  vi.useRealTimers();
  t.expectNoViolations();
});

const headersOf = (result: { headers: Headers }) => ({
  limit: Number(result.headers.get("x-ratelimit-limit")),
  remaining: Number(result.headers.get("x-ratelimit-remaining")),
  reset: Number(result.headers.get("x-ratelimit-reset")),
});

const seconds = (emulator: TestEmulator["emulator"]) => emulator.clock.now() / 1000;

describe("token buckets", () => {
  it("a 60-per-minute bucket: refused when spent, one request back per second of the (moved) clock, none before", async () => {
    t = await testEmulator({ limits: { groups: [{ name: "org-reads", burst: 2, rate: "60/minute", operations: ["getOrganization"] }] } });
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
    const refused = await t.call("GET", "/organizations/org_x");
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(auth0Error(429, "Too Many Requests", "Global limit has been reached", "too_many_requests"));
    expect(headersOf(refused)).toMatchObject({ limit: 2, remaining: 0 });
    t.emulator.clock.advance(900);
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(429);
    t.emulator.clock.advance(100);
    const back = await t.call("GET", "/organizations/org_x");
    expect(back.status).toBe(404);
    // Full again two seconds after this request (two tokens missing at one per second).
    expect(headersOf(back)).toEqual({ limit: 2, remaining: 0, reset: Math.ceil(seconds(t.emulator) + 2) });
    // Other operations do not draw on the group.
    expect((await t.call("GET", "/organizations", { query: { per_page: 1 } })).status).toBe(200);
  });

  it("a request draws on the tenant bucket and its group's; a refusal by either draws on neither and changes nothing", async () => {
    t = await testEmulator({
      limits: {
        tenant: { burst: 4, rate: "1/minute" },
        groups: [{ name: "org-writes", burst: 2, rate: "1/minute", operations: ["POST /organizations", "deleteOrganization"] }],
      },
    });
    expect((await t.call("POST", "/organizations", { body: { name: "one" } })).status).toBe(201);
    expect((await t.call("POST", "/organizations", { body: { name: "two" } })).status).toBe(201);
    const refused = await t.call("POST", "/organizations", { body: { name: "three" } });
    expect(refused.status).toBe(429);
    expect(headersOf(refused)).toMatchObject({ limit: 2, remaining: 0 });
    expect(t.emulator.state.snapshot().organizations.map((o) => o.name)).toEqual(["one", "two"]);
    // The tenant bucket gave two, the group's refusal took none: two left for reads, then the tenant refuses.
    expect(t.emulator.limits.state().buckets.map((b) => [b.name, b.remaining])).toEqual([
      ["tenant", 2],
      ["org-writes", 0],
    ]);
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
    const tenantRefusal = await t.call("GET", "/organizations/org_x");
    expect(tenantRefusal.status).toBe(429);
    expect(headersOf(tenantRefusal)).toMatchObject({ limit: 4, remaining: 0 });
  });

  it("headers describe the bucket with the fewest requests left, or with headers: endpoint-group the group's", async () => {
    const shape = { tenant: { burst: 3, rate: "1/second" }, groups: [{ name: "reads", burst: 10, rate: "1/second", operations: ["getOrganization"] }] };
    t = await testEmulator({ limits: shape });
    expect(headersOf(await t.call("GET", "/organizations/org_x"))).toMatchObject({ limit: 3, remaining: 2 });
    const grouped = await testEmulator({ limits: { ...shape, headers: "endpoint-group" } });
    expect(headersOf(await grouped.call("GET", "/organizations/org_x"))).toMatchObject({ limit: 10, remaining: 9 });
    // Without a group, the tenant's.
    expect(headersOf(await grouped.call("GET", "/organizations", { query: { per_page: 1 } }))).toMatchObject({ limit: 3, remaining: 1 });
    grouped.expectNoViolations();
  });

  it("a group with a query condition applies only to requests that send it (Auth0's Read Clients with q)", async () => {
    t = await testEmulator({ limits: "enterprise" });
    for (let i = 0; i < 8; i++) expect((await t.call("GET", "/clients")).status).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await t.call("GET", "/clients", { query: { q: "client_grant.organization_id:org_W2nJ4xPq7sKd9VbT" } })).status).toBe(200);
    expect((await t.call("GET", "/clients", { query: { q: "client_grant.organization_id:org_W2nJ4xPq7sKd9VbT" } })).status).toBe(429);
    expect((await t.call("GET", "/clients")).status).toBe(200);
  });

  it("refill: window gives a fixed window: nothing back until the window that the first request opened has passed", async () => {
    t = await testEmulator({ limits: { tenant: { burst: 2, rate: "2/1000ms", refill: "window" } } });
    const first = await t.call("GET", "/organizations/org_x");
    const openedAt = t.emulator.clock.now();
    expect(headersOf(first)).toEqual({ limit: 2, remaining: 1, reset: Math.ceil((openedAt + 1000) / 1000) });
    await t.call("GET", "/organizations/org_x");
    t.emulator.clock.advance(800);
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(429);
    t.emulator.clock.advance(200);
    expect(headersOf(await t.call("GET", "/organizations/org_x"))).toMatchObject({ remaining: 1 });
  });

  it("rateLimit stays a shorthand for one tenant bucket (limit at once, limit per windowMs back)", async () => {
    t = await testEmulator({ rateLimit: { limit: 3, windowMs: 3000 } });
    for (let i = 0; i < 3; i++) await t.call("GET", "/organizations/org_x");
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(429);
    t.emulator.clock.advance(1000);
    expect((await t.call("GET", "/organizations/org_x")).status).toBe(404);
    expect(t.emulator.limits.state().buckets).toEqual([
      expect.objectContaining({ name: "tenant", appliesTo: "every request", burst: 3, rate: "3/3000ms", remaining: 0 }),
    ]);
  });
});

describe("presets", () => {
  it("every preset is its page's figures: the tenant bucket and the groups that cover this spec's operations", async () => {
    t = await testEmulator();
    for (const [name, preset] of Object.entries(LIMIT_PRESETS)) {
      const state = t.emulator.limits.set(name as keyof typeof LIMIT_PRESETS);
      expect(state.preset).toBe(name);
      expect(state.source).toBe(`${preset.page} (as of ${preset.pageDate})`);
      const tenant = state.buckets.find((b) => b.appliesTo === "every request");
      const expected = "tenant" in preset ? preset.tenant : undefined;
      expect(tenant && [tenant.burst, tenant.rate], name).toEqual(expected && [expected[0], expect.any(String)]);
      for (const bucket of state.buckets) expect(bucket.remaining, `${name} ${bucket.name} starts full`).toBe(bucket.burst);
      const groups = Object.keys(preset.groups).filter((group) => group !== "write-organization-client-grants" || state.buckets.some((b) => b.name === group));
      expect(
        state.buckets
          .filter((b) => b !== tenant)
          .map((b) => b.name)
          .sort(),
        name,
      ).toEqual(groups.sort());
    }
  });

  it("self-service: the organization-connection writes bucket (5, then 25 a minute) refuses the sixth write; reads and the tenant are unaffected", async () => {
    t = await testEmulator({ limits: "self-service" });
    const { org, db, okta } = await basicTenant(t);
    const writes = [
      () => t.call("POST", `/organizations/${org}/enabled_connections`, { body: { connection_id: db } }),
      () => t.call("PATCH", `/organizations/${org}/enabled_connections/${db}`, { body: { show_as_button: true } }),
      () => t.call("DELETE", `/organizations/${org}/enabled_connections/${db}`),
      () => t.call("POST", `/organizations/${org}/connections`, { body: { connection_id: okta } }),
      () => t.call("DELETE", `/organizations/${org}/connections/${okta}`),
    ];
    for (const write of writes) expect((await write()).status).toBeLessThan(300);
    const refused = await t.call("POST", `/organizations/${org}/connections`, { body: { connection_id: db } });
    expect(refused.status).toBe(429);
    // Full again after 5 × 60/25 = 12 s.
    expect(headersOf(refused)).toMatchObject({ limit: 5, remaining: 0 });
    expect(headersOf(refused).reset).toBe(Math.ceil(seconds(t.emulator) + 12));
    expect((await t.call("GET", `/organizations/${org}/connections`)).status).toBe(200);
    t.emulator.clock.advance(2_400);
    expect((await t.call("POST", `/organizations/${org}/connections`, { body: { connection_id: db } })).status).toBe(201);
  });
});

describe("the admin API", () => {
  it("shows the buckets, replaces the limits with a preset or a shape, and moves the clock", async () => {
    t = await testEmulator({ limits: "free" });
    const admin = (method: string, path: string, body?: unknown) =>
      t.emulator.fetch(`/__emulator${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    await t.call("GET", "/organizations/org_x");
    const state = await (await admin("GET", "/limits")).json();
    expect(state).toMatchObject({
      enforced: true,
      preset: "free",
      headers: "tightest",
      buckets: [{ name: "tenant", appliesTo: "every request", burst: 2, rate: "2/1000ms", remaining: 1 }],
    });
    expect(state.source).toMatch(/^https:\/\/auth0\.com\/docs\/.*\/free-public \(as of \d{4}-\d\d-\d\d\)$/);

    const replaced = await (await admin("POST", "/limits", { preset: "enterprise-non-production" })).json();
    expect(replaced.buckets[0]).toMatchObject({ name: "tenant", burst: 10, rate: "2/1000ms", remaining: 10 });
    const shaped = await (await admin("POST", "/limits", { groups: [{ name: "g", burst: 1, rate: "1/day", operations: ["getOrganization"] }] })).json();
    expect(shaped.buckets).toEqual([expect.objectContaining({ name: "g", appliesTo: ["GET /organizations/{id}"], burst: 1, rate: "1/86400000ms" })]);

    const before = t.emulator.clock.now();
    const moved = await (await admin("POST", "/clock", { advanceMs: 86_400_000 })).json();
    expect(moved.offsetMs).toBe(86_400_000);
    expect(Date.parse(moved.now) - before).toBeGreaterThanOrEqual(86_400_000);

    const bad = await admin("POST", "/limits", { groups: [{ name: "g", burst: 1, rate: "fast", operations: ["getOrganization"] }] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual(
      auth0Error(400, "Bad Request", 'limits.groups[0] (g).rate must look like "2/second", "150/minute", "5/day" or "1/1500ms", not "fast"', "invalid_body"),
    );
    expect((await admin("POST", "/clock", { advanceMs: -1 })).status).toBe(400);
    expect((await admin("POST", "/limits", { preset: "platinum" })).status).toBe(400);
  });
});

describe("bad limits are refused at start-up, saying which field", () => {
  it.each([
    [{ tenant: { burst: 0, rate: "1/second" } }, /limits\.tenant\.burst must be a whole number of 1 or more/],
    [{ tenant: { burst: 1, rate: "1/fortnight" } }, /limits\.tenant\.rate must look like/],
    [{ groups: [{ name: "g", burst: 1, rate: "1/second", operations: ["getUser"] }] }, /"getUser" is not an operation of the spec/],
    [
      {
        groups: [
          { name: "g", burst: 1, rate: "1/second", operations: ["GET /organizations"] },
          { name: "g", burst: 1, rate: "1/second", operations: ["getOrganization"] },
        ],
      },
      /name "g" is used twice/,
    ],
    [{ tenant: { burst: 1, rate: "1/second", burts: 2 } }, /limits\.tenant has unknown field\(s\): burts/],
    ["platinum", /unknown limits preset "platinum"/],
  ])("%j", async (limits, message) => {
    t = await testEmulator();
    expect(() => t.emulator.limits.set(limits as never)).toThrow(message);
    await expect(testEmulator({ limits: limits as never })).rejects.toThrow(message);
  });

  it("limits and rateLimit together", async () => {
    t = await testEmulator();
    await expect(testEmulator({ limits: "free", rateLimit: { limit: 1, windowMs: 1000 } })).rejects.toThrow("use either limits or rateLimit, not both");
  });
});
