/**
 * The operations tools call around the links: `GET /connections`, `GET /organizations`,
 * `GET /organizations/name/{name}`, `PATCH /organizations/{id}`, `GET /clients`, `GET /client-grants` and
 * `GET /organizations/{id}/client-grants`. Every answer is also checked against the spec by the test emulator.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findOperation } from "../../src/shared/spec.js";
import type { SeedData } from "../../src/emulator/index.js";
import { auth0Error, type TestEmulator, testEmulator } from "./helpers.js";

const ORG = "org_W2nJ4xPq7sKd9VbT";
const SEED: SeedData = {
  organizations: [
    { id: ORG, name: "acme-corp", display_name: "Acme Corporation", branding: { logo_url: "https://acme.example/logo.png" } },
    { id: "org_Gl0b3xTr4d3rs0001", name: "globex", display_name: "Globex" },
    { id: "org_In1t3chC0rp00001", name: "initech" },
  ],
  connections: [
    { id: "con_Xk3pL9qRt2VwY7Za", name: "Username-Password-Authentication", strategy: "auth0", display_name: "Acme employees" },
    { id: "con_Ok7aE2nTz5Hq1MvB", name: "acme-okta", strategy: "okta", options: { domain: "acme.okta.com" } },
    { id: "con_G00gl3S0c1al0001", name: "google-oauth2", strategy: "google-oauth2" },
  ],
  clients: [
    { client_id: "provisioning-app", name: "Acme Provisioning", app_type: "non_interactive", client_secret: "never-shown", scopes: ["read:clients"] },
    { client_id: "global-client", name: "All Applications", global: true },
    { client_id: "web-app", name: "Acme Web", app_type: "regular_web", callbacks: ["https://acme.example/callback"] },
  ],
  client_grants: [
    {
      id: "cgr_Vb8nQ2xLp4Rt6YsK",
      client_id: "provisioning-app",
      audience: "https://api.acme.example/",
      scope: ["read:invoices"],
      organization_usage: "allow",
      organization_ids: ["acme-corp"],
    },
    { id: "cgr_M4n4g3m3nt000001", client_id: "provisioning-app", audience: "https://emulator.local/api/v2/", scope: ["read:clients"], is_system: false },
    { id: "cgr_W3bApp0000000001", client_id: "web-app", audience: "https://api.acme.example/", scope: [], organization_ids: [ORG, "globex"] },
  ],
};

let t: TestEmulator;
beforeEach(async () => {
  t = await testEmulator({ seed: SEED });
});
afterEach(() => t.expectNoViolations());

const names = (items: Array<{ name?: string }>) => items.map((i) => i.name);

describe("GET /connections", () => {
  it("is a plain array without paging parameters, and a page object with include_totals=true", async () => {
    const plain = await t.call("GET", "/connections");
    expect(names(plain.body)).toEqual(["Username-Password-Authentication", "acme-okta", "google-oauth2"]);
    const page = await t.call("GET", "/connections", { query: { include_totals: true, per_page: 2, page: 1 } });
    expect(page.body).toMatchObject({ start: 2, limit: 2, total: 3 });
    expect(names(page.body.connections)).toEqual(["google-oauth2"]);
    const defaults = await t.call("GET", "/connections", { query: { include_totals: true } });
    expect(defaults.body).toMatchObject({ start: 0, limit: 50, total: 3 });
  });

  it("finds a connection by its exact name, and answers an empty list for an unknown one", async () => {
    const found = await t.call("GET", "/connections", { query: { name: "acme-okta", include_totals: true } });
    expect(found.body.total).toBe(1);
    expect(found.body.connections[0]).toMatchObject({ id: "con_Ok7aE2nTz5Hq1MvB", name: "acme-okta", strategy: "okta" });
    const missing = await t.call("GET", "/connections", { query: { name: "acme", include_totals: true } });
    expect(missing.body).toEqual({ connections: [], start: 0, limit: 50, total: 0 });
  });

  it("filters by one or several strategies (strategy repeated)", async () => {
    const one = await t.call("GET", "/connections?strategy=okta");
    expect(names(one.body)).toEqual(["acme-okta"]);
    const two = await t.call("GET", "/connections?strategy=okta&strategy=auth0");
    expect(names(two.body)).toEqual(["Username-Password-Authentication", "acme-okta"]);
    const none = await t.call("GET", "/connections?strategy=samlp&take=50");
    expect(none.body).toEqual({ connections: [] });
  });

  it("walks checkpoint pages with take and from; the answer has no totals even with include_totals=true", async () => {
    const first = await t.call("GET", "/connections", { query: { take: 2, include_totals: true, per_page: 50 } });
    expect(Object.keys(first.body).sort()).toEqual(["connections", "next"]);
    expect(names(first.body.connections)).toEqual(["Username-Password-Authentication", "acme-okta"]);
    const last = await t.call("GET", "/connections", { query: { take: 2, from: first.body.next } });
    expect(last.body).toEqual({ connections: [expect.objectContaining({ name: "google-oauth2" })] });
    const bad = await t.call("GET", "/connections", { query: { from: "not-a-checkpoint" } });
    expect(bad.status).toBe(400);
    expect(bad.body.errorCode).toBe("invalid_query_string");
  });

  it("narrows items with fields, adding id and is_domain_connection; include_fields=false drops the listed ones, id too", async () => {
    const narrowed = await t.call("GET", "/connections", { query: { fields: "name", strategy: "auth0" } });
    // The fields the spec's `fields` parameter lists under x-returned-with-include-fields come back whatever the list says.
    expect(narrowed.body).toHaveLength(1);
    expect(narrowed.body[0]).toMatchObject({ id: "con_Xk3pL9qRt2VwY7Za", name: "Username-Password-Authentication", is_domain_connection: false });
    expect(
      Object.keys(narrowed.body[0]).filter((key) => !["id", "name", "is_domain_connection", "authentication", "connected_accounts"].includes(key)),
    ).toEqual([]);
    const without = await t.call("GET", "/connections", { query: { fields: "name,options", include_fields: false, strategy: "auth0" } });
    expect(without.body[0]).not.toHaveProperty("name");
    expect(without.body[0]).toMatchObject({ id: "con_Xk3pL9qRt2VwY7Za", strategy: "auth0" });
    const noId = await t.call("GET", "/connections", { query: { fields: "id,name", include_fields: false, strategy: "auth0" } });
    expect(noId.body[0]).not.toHaveProperty("id");
    expect(noId.body[0]).toMatchObject({ strategy: "auth0", is_domain_connection: false });
  });

  it("shows options only to tokens with read:connections_options, and checks take against the spec's bounds", async () => {
    const narrow = await t.emulator.issueToken({ scopes: ["read:connections"] });
    const listed = await t.call("GET", "/connections", { token: narrow, query: { name: "acme-okta" } });
    expect(listed.body[0]).not.toHaveProperty("options");
    const full = await t.call("GET", "/connections", { query: { name: "acme-okta" } });
    expect(full.body[0].options).toMatchObject({ domain: "acme.okta.com" });
    const take = findOperation("get", "/connections")!.parameters.find((p) => p.name === "take")!.schema as { maximum: number };
    const tooMany = await t.call("GET", "/connections", { query: { take: take.maximum + 1 } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/^Query validation error: 'Value is greater than the maximum of \d+' on property take/);
  });
});

describe("GET /organizations", () => {
  it("pages with page/per_page and with a checkpoint whose last page has no next", async () => {
    const totals = await t.call("GET", "/organizations", { query: { include_totals: true } });
    expect(totals.body).toMatchObject({ start: 0, limit: 50, total: 3 });
    expect(names(totals.body.organizations)).toEqual(["acme-corp", "globex", "initech"]);
    const first = await t.call("GET", "/organizations", { query: { take: 2, include_totals: true, per_page: 50 } });
    expect(names(first.body.organizations)).toEqual(["acme-corp", "globex"]);
    const rest = await t.call("GET", "/organizations", { query: { take: 2, from: first.body.next } });
    expect(rest.body).toEqual({ organizations: [{ id: "org_In1t3chC0rp00001", name: "initech", third_party_client_access: "block" }] });
    const plain = await t.call("GET", "/organizations", { query: { page: 1, per_page: 1 } });
    expect(names(plain.body)).toEqual(["globex"]);
  });

  it("needs read:organizations (the scope named in the spec)", async () => {
    const token = await t.emulator.issueToken({ scopes: ["read:connections"] });
    const denied = await t.call("GET", "/organizations", { token });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe(`Insufficient scope, expected any of: ${findOperation("get", "/organizations")!.scopes.join(",")}`);
  });
});

describe("GET /organizations/name/{name}", () => {
  it("answers the organization with that name, or Auth0's 404", async () => {
    const found = await t.call("GET", "/organizations/name/acme-corp");
    // Seeded like a new tenant's organization: with the create defaults the spec states.
    expect(found.body).toEqual({ ...SEED.organizations![0], third_party_client_access: "block" });
    const missing = await t.call("GET", "/organizations/name/Acme%20Corporation");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(auth0Error(404, "Not Found", "No organization found by that id or name"));
  });
});

describe("PATCH /organizations/{id}", () => {
  it("renames and answers the whole organization, keeping the fields not sent", async () => {
    const renamed = await t.call("PATCH", `/organizations/${ORG}`, { body: { name: "acme-corporation" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ ...SEED.organizations![0], third_party_client_access: "block", name: "acme-corporation" });
    expect((await t.call("GET", "/organizations/name/acme-corporation")).body.id).toBe(ORG);
    expect((await t.call("GET", "/organizations/name/acme-corp")).status).toBe(404);
  });

  it("replaces metadata whole, and removes it with {} or null; token_quota: null removes the quota", async () => {
    await t.call("PATCH", `/organizations/${ORG}`, {
      body: { metadata: { a: "1", b: "2" }, token_quota: { client_credentials: { enforce: true, per_day: 10 } } },
    });
    const replaced = await t.call("PATCH", `/organizations/${ORG}`, { body: { metadata: { c: "3" } } });
    expect(replaced.body.metadata).toEqual({ c: "3" });
    expect(replaced.body.token_quota).toEqual({ client_credentials: { enforce: true, per_day: 10 } });
    const emptied = await t.call("PATCH", `/organizations/${ORG}`, { body: { metadata: {}, token_quota: null } });
    expect(emptied.body).not.toHaveProperty("metadata");
    expect(emptied.body).not.toHaveProperty("token_quota");
    await t.call("PATCH", `/organizations/${ORG}`, { body: { metadata: { d: "4" } } });
    expect((await t.call("PATCH", `/organizations/${ORG}`, { body: { metadata: null } })).body).not.toHaveProperty("metadata");
  });

  it("refuses a name another organization has (409) or in the wrong format (400), changing nothing", async () => {
    const before = t.emulator.state.snapshot();
    const taken = await t.call("PATCH", `/organizations/${ORG}`, { body: { name: "globex", display_name: "Changed" } });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual(auth0Error(409, "Conflict", "An organization with this name already exists."));
    const upper = await t.call("PATCH", `/organizations/${ORG}`, { body: { name: "Acme Corp" } });
    expect(upper.status).toBe(400);
    expect(upper.body.errorCode).toBe("invalid_body");
    expect(t.emulator.state.snapshot()).toEqual(before);
    expect((await t.call("PATCH", `/organizations/${ORG}`, { body: { name: "acme-corp" } })).status).toBe(200);
  });

  it("answers 404 for an unknown organization", async () => {
    const res = await t.call("PATCH", "/organizations/org_doesnotexist0000", { body: { display_name: "x" } });
    expect(res.status).toBe(404);
  });
});

describe("GET /clients", () => {
  it("lists the seeded applications with tenant and never their secret or token scopes", async () => {
    const res = await t.call("GET", "/clients", { query: { include_totals: true } });
    expect(res.body).toMatchObject({ start: 0, limit: 50, total: 3 });
    expect(res.body.clients[0]).toEqual({ tenant: "emulator", client_id: "provisioning-app", name: "Acme Provisioning", app_type: "non_interactive" });
    expect(res.text).not.toContain("client_secret");
    expect(res.text).not.toContain("never-shown");
    const narrowed = await t.call("GET", "/clients", { query: { fields: "client_secret,scopes,name" } });
    expect(narrowed.body[0]).toEqual({ tenant: "emulator", name: "Acme Provisioning" });
  });

  it("filters by is_global, app_type and the organization a grant is associated with (q)", async () => {
    expect((await t.call("GET", "/clients", { query: { is_global: true } })).body.map((c: { client_id: string }) => c.client_id)).toEqual(["global-client"]);
    expect(
      (await t.call("GET", "/clients", { query: { is_global: false, app_type: "regular_web,spa" } })).body.map((c: { client_id: string }) => c.client_id),
    ).toEqual(["web-app"]);
    const holders = await t.call("GET", "/clients", { query: { q: `client_grant.organization_id:${ORG}` } });
    expect(holders.body.map((c: { client_id: string }) => c.client_id)).toEqual(["provisioning-app", "web-app"]);
    const unsupported = await t.call("GET", "/clients", { query: { q: "name:acme" } });
    expect(unsupported.status).toBe(400);
  });
});

describe("GET /client-grants and GET /organizations/{id}/client-grants", () => {
  it("lists grants with the client_id and audience filters, in both paging styles, without organization_ids", async () => {
    const all = await t.call("GET", "/client-grants", { query: { include_totals: true } });
    expect(all.body.total).toBe(3);
    expect(all.text).not.toContain("organization_ids");
    const filtered = await t.call("GET", "/client-grants", {
      query: { client_id: "provisioning-app", audience: "https://api.acme.example/", include_totals: true },
    });
    expect(filtered.body.client_grants.map((g: { id: string }) => g.id)).toEqual(["cgr_Vb8nQ2xLp4Rt6YsK"]);
    const nothing = await t.call("GET", "/client-grants", { query: { client_id: "nobody", include_totals: true } });
    expect(nothing.body).toEqual({ client_grants: [], start: 0, limit: 50, total: 0 });
    const checkpoint = await t.call("GET", "/client-grants", { query: { take: 50, include_totals: true } });
    expect(Object.keys(checkpoint.body)).toEqual(["client_grants"]);
  });

  it("lists an organization's grants, narrowed by grant_ids (repeatable), and 404s for an unknown organization", async () => {
    const grants = await t.call("GET", `/organizations/${ORG}/client-grants`);
    expect(grants.body.map((g: { id: string }) => g.id)).toEqual(["cgr_Vb8nQ2xLp4Rt6YsK", "cgr_W3bApp0000000001"]);
    const one = await t.call("GET", `/organizations/${ORG}/client-grants?grant_ids=cgr_W3bApp0000000001&include_totals=true&page=0&per_page=50`);
    expect(one.body).toMatchObject({ total: 1, start: 0, limit: 50, client_grants: [{ id: "cgr_W3bApp0000000001" }] });
    const two = await t.call("GET", `/organizations/${ORG}/client-grants?grant_ids=cgr_W3bApp0000000001&grant_ids=cgr_Vb8nQ2xLp4Rt6YsK`);
    expect(two.body).toHaveLength(2);
    expect((await t.call("GET", "/organizations/org_In1t3chC0rp00001/client-grants")).body).toEqual([]);
    expect((await t.call("GET", "/organizations/org_doesnotexist0000/client-grants")).status).toBe(404);
  });

  it("needs read:organization_client_grants", async () => {
    const token = await t.emulator.issueToken({ scopes: ["read:client_grants"] });
    const denied = await t.call("GET", `/organizations/${ORG}/client-grants`, { token });
    expect(denied.body).toEqual(auth0Error(403, "Forbidden", "Insufficient scope, expected any of: read:organization_client_grants", "insufficient_scope"));
  });
});

describe("seed and admin API", () => {
  it("seeds clients and client grants through POST /__emulator/seed and shows them in the state (secrets left out)", async () => {
    const seeded = await t.emulator.fetch("http://127.0.0.1/__emulator/seed", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        clients: [{ client_id: "late-app", client_secret: "s3cret" }],
        client_grants: [{ client_id: "late-app", audience: "https://api.acme.example/", scope: ["read:x"], organization_ids: ["initech"] }],
      }),
    });
    expect(seeded.status).toBe(204);
    const state = t.emulator.state.snapshot();
    expect(state.clients.map((c) => c.client_id)).toContain("late-app");
    expect(JSON.stringify(state)).not.toContain("s3cret");
    const grant = state.client_grants.find((g) => g.client_id === "late-app");
    expect(grant?.id).toMatch(/^cgr_[A-Za-z0-9]{16}$/);
    expect(grant?.organization_ids).toEqual(["org_In1t3chC0rp00001"]);
    expect((await t.call("GET", "/organizations/org_In1t3chC0rp00001/client-grants")).body).toHaveLength(1);
  });

  it("rejects a grant without its required fields or for an unknown organization, seeding nothing", async () => {
    const before = t.emulator.state.snapshot();
    expect(() => t.emulator.state.seed({ client_grants: [{ client_id: "x", scope: [] } as never] })).toThrow(/client_grants\[0\]/);
    expect(() => t.emulator.state.seed({ client_grants: [{ client_id: "x", audience: "a", scope: [], organization_ids: ["nope"] }] })).toThrow(
      /no organization nope/,
    );
    expect(t.emulator.state.snapshot()).toEqual(before);
  });
});
