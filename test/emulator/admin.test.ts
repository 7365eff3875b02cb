/** The admin API under /__emulator/ and its programmatic twin `emulator.state`. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SeedData } from "../../src/emulator/index.js";
import { type TestEmulator, testEmulator } from "./helpers.js";

const seed: SeedData = {
  organizations: [{ id: "org_seeded0000000001", name: "acme", display_name: "Acme" }],
  connections: [
    { id: "con_seeded0000000001", name: "acme-db", strategy: "auth0" },
    { name: "acme-okta", strategy: "okta" },
  ],
  clients: [{ client_id: "m2m", client_secret: "top-secret-1", scopes: ["read:organizations"] }],
  // Links may name the organization and connection by id or by name.
  links: [
    { organization_id: "org_seeded0000000001", connection_id: "con_seeded0000000001", assign_membership_on_login: true },
    { organization_id: "acme", connection_id: "acme-okta", organization_connection_name: "Staff", is_enabled: false },
  ],
};

let t: TestEmulator;
beforeEach(async () => {
  t = await testEmulator({ seed });
});
afterEach(() => t.expectNoViolations());

const admin = async (method: string, path: string, body?: unknown) => {
  // Admin writes send JSON (an empty object when there is nothing to send), to a loopback host.
  const write = method !== "GET";
  const res = await t.emulator.fetch(
    new Request(`http://localhost/__emulator${path}`, {
      method,
      headers: write ? { "content-type": "application/json" } : {},
      body: write ? JSON.stringify(body ?? {}) : undefined,
    }),
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

describe("seed and state", () => {
  it("serves the seeded tenant through the API, with link defaults filled in", async () => {
    const list = await t.call("GET", "/organizations/org_seeded0000000001/connections", { query: { include_totals: true } });
    expect(list.body.total).toBe(2);
    const okta = list.body.connections.find((c: { connection: { name: string } }) => c.connection.name === "acme-okta");
    expect(okta).toMatchObject({ organization_connection_name: "Staff", is_enabled: false, organization_access_level: "none", show_as_button: true });
  });

  it("GET /__emulator/state returns the tenant in the seed format, without client secrets, and it seeds again", async () => {
    const state = await admin("GET", "/state");
    expect(state.status).toBe(200);
    expect(state.body.organizations).toEqual([{ id: "org_seeded0000000001", name: "acme", display_name: "Acme", third_party_client_access: "block" }]);
    expect(state.body.links).toHaveLength(2);
    expect(JSON.stringify(state.body)).not.toContain("top-secret-1");

    const copy = await testEmulator({ seed: state.body });
    expect(copy.emulator.state.snapshot()).toEqual(state.body);
    copy.expectNoViolations();
  });

  it("POST /__emulator/seed adds data; a bad seed is refused whole with a message naming the entry", async () => {
    expect((await admin("POST", "/seed", { organizations: [{ name: "globex" }] })).status).toBe(204);
    expect(t.emulator.state.snapshot().organizations.map((o) => o.name)).toEqual(["acme", "globex"]);

    const before = t.emulator.state.snapshot();
    const bad = await admin("POST", "/seed", { organizations: [{ name: "initech" }], connections: [{ name: "x", strategy: "auth0", colour: "red" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/connections\[0\]/);
    expect(t.emulator.state.snapshot()).toEqual(before);

    const brokenRule = await admin("POST", "/seed", { links: [{ organization_id: "acme", connection_id: "acme-okta", is_signup_enabled: true }] });
    expect(brokenRule.status).toBe(400);
    expect(brokenRule.body.message).toMatch(/links\[0\]: Only database connections/);
    expect(t.emulator.state.snapshot()).toEqual(before);
    expect((await admin("POST", "/seed", { unknown: [] })).status).toBe(400);
    expect((await admin("POST", "/seed", [])).status).toBe(400);
  });

  it("seeds many links when the entity limit allows it", async () => {
    const count = 1000;
    const big = await testEmulator({
      entityLimit: count,
      seed: {
        organizations: [{ id: "org_big", name: "big" }],
        connections: Array.from({ length: count }, (_, i) => ({ id: `con_${i}`, name: `c${i}`, strategy: "auth0" })),
        links: Array.from({ length: count }, (_, i) => ({ organization_id: "org_big", connection_id: `con_${i}` })),
      },
    });
    const page = await big.call("GET", "/organizations/org_big/enabled_connections", { query: { include_totals: true, per_page: 100, page: 9 } });
    expect(page.body).toMatchObject({ start: 900, limit: 100, total: count });
    big.expectNoViolations();
  });

  it("POST /__emulator/reset returns to the start-up seed; /clear empties the tenant", async () => {
    await t.call("POST", "/organizations", { body: { name: "temp" } });
    await t.call("DELETE", "/connections/con_seeded0000000001");
    expect((await admin("POST", "/reset")).status).toBe(204);
    const restored = t.emulator.state.snapshot();
    expect(restored.organizations.map((o) => o.name)).toEqual(["acme"]);
    expect(restored.links).toHaveLength(2);
    expect((await admin("POST", "/clear")).status).toBe(204);
    expect(t.emulator.state.snapshot()).toEqual({ organizations: [], connections: [], clients: [], client_grants: [], links: [] });
  });

  it("seeded clients with a secret can get tokens", async () => {
    const res = await t.emulator.fetch(
      new Request("http://localhost/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grant_type: "client_credentials", client_id: "m2m", client_secret: "top-secret-1" }),
      }),
    );
    expect(((await res.json()) as { scope: string }).scope).toBe("read:organizations");
  });
});

describe("faults and tokens through the admin API", () => {
  it("sets, reads and clears faults, refusing invalid settings", async () => {
    const set = await admin("POST", "/faults", { status: { code: 503, count: 1 } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ status: { code: 503, count: 1 } });
    expect((await admin("GET", "/faults")).body).toEqual({ status: { code: 503, count: 1 } });
    expect((await admin("POST", "/faults", { status: { code: 200 } })).status).toBe(400);
    expect((await admin("POST", "/faults", { latencyMs: -5 })).status).toBe(400);
    expect((await admin("POST", "/faults", { explode: true })).body.message).toMatch(/Unknown fault setting: explode/);
    expect((await admin("DELETE", "/faults")).status).toBe(204);
    expect((await admin("GET", "/faults")).body).toEqual({});
  });

  it("issues tokens with chosen scopes", async () => {
    const res = await admin("POST", "/token", { scopes: ["read:organizations"] });
    expect(res.status).toBe(200);
    const token = res.body.access_token as string;
    expect((await t.call("GET", "/organizations/org_seeded0000000001", { token })).status).toBe(200);
    expect((await t.call("DELETE", "/organizations/org_seeded0000000001", { token })).status).toBe(403);
    expect((await admin("POST", "/token", { scopes: "all" })).status).toBe(400);
    expect((await admin("POST", "/token", { expiresIn: "soon" })).status).toBe(400);
  });
});
