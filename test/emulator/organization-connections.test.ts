/**
 * `/organizations/{id}/connections[/{connection_id}]`: the newer family, and how it shares its links with the
 * older `enabled_connections` family.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auth0Error, basicTenant, type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
let ids: { org: string; db: string; okta: string };
const base = () => `/organizations/${ids.org}/connections`;

beforeEach(async () => {
  t = await testEmulator();
  ids = await basicTenant(t);
});
afterEach(() => t.expectNoViolations());

describe("POST connections", () => {
  it("fills in the recorded defaults and leaves organization_connection_name out until set", async () => {
    const res = await t.call("POST", base(), { body: { is_enabled: true, connection_id: ids.db } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      connection_id: ids.db,
      is_signup_enabled: false,
      assign_membership_on_login: false,
      show_as_button: true,
      is_enabled: true,
      organization_access_level: "none",
      connection: { name: "acme-db", strategy: "auth0" },
    });
  });

  it("stores every setting sent, and leaves is_signup_enabled out for enterprise connections", async () => {
    const body = {
      connection_id: ids.okta,
      organization_connection_name: "Acme staff",
      assign_membership_on_login: true,
      show_as_button: false,
      is_enabled: false,
      organization_access_level: "full",
    };
    const res = await t.call("POST", base(), { body });
    expect(res.status).toBe(201);
    const { connection_id, ...settings } = body;
    expect(res.body).toEqual({ connection_id, ...settings, connection: { name: "acme-okta", strategy: "okta" } });
    expect((await t.call("GET", `${base()}/${ids.okta}`)).body).toEqual(res.body);
  });

  it("answers 409 for a link made through either family", async () => {
    await t.call("POST", `/organizations/${ids.org}/enabled_connections`, { body: { connection_id: ids.db } });
    const res = await t.call("POST", base(), { body: { connection_id: ids.db } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(auth0Error(409, "Conflict", "The organization connection already exists."));
  });

  it("validates organization_connection_name and organization_access_level", async () => {
    const long = await t.call("POST", base(), { body: { connection_id: ids.db, organization_connection_name: "n".repeat(51) } });
    expect(long.status).toBe(400);
    const nul = await t.call("POST", base(), { body: { connection_id: ids.db, organization_connection_name: "a\u0000b" } });
    expect(nul.status).toBe(400);
    expect(nul.body.message).toMatch(/String does not match pattern/);
    const level = await t.call("POST", base(), { body: { connection_id: ids.db, organization_access_level: "admin" } });
    expect(level.body.message).toMatch(/^Payload validation error: 'No enum match for: "admin"' on property organization_access_level/);
    const nullOnCreate = await t.call("POST", base(), { body: { connection_id: ids.db, is_enabled: null } });
    expect(nullOnCreate.status).toBe(400);
  });

  it("applies the is_signup_enabled rule", async () => {
    const res = await t.call("POST", base(), { body: { connection_id: ids.db, is_signup_enabled: true } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("Only database connections with assign_membership_on_login = true support is_signup_enabled = true.");
  });

  it("404s an unknown organization or connection", async () => {
    expect((await t.call("POST", "/organizations/org_nope/connections", { body: { connection_id: ids.db } })).body.message).toBe(
      "No organization found by that id or name",
    );
    expect((await t.call("POST", base(), { body: { connection_id: "con_nope" } })).body.errorCode).toBe("inexistent_connection");
  });

  it("honours a configured entity limit", async () => {
    const small = await testEmulator({ entityLimit: 1 });
    const s = await basicTenant(small);
    expect((await small.call("POST", `/organizations/${s.org}/connections`, { body: { connection_id: s.db } })).status).toBe(201);
    expect((await small.call("POST", `/organizations/${s.org}/connections`, { body: { connection_id: s.okta } })).status).toBe(400);
    small.expectNoViolations();
  });
});

describe("GET connections", () => {
  beforeEach(async () => {
    await t.call("POST", base(), { body: { connection_id: ids.db } });
    await t.call("POST", base(), { body: { connection_id: ids.okta, is_enabled: false } });
  });

  it("with include_totals sets limit to per_page and start to page × per_page", async () => {
    const first = await t.call("GET", base(), { query: { include_totals: true, page: 0, per_page: 50 } });
    expect(first.body).toMatchObject({ start: 0, limit: 50, total: 2 });
    expect(first.body.connections).toHaveLength(2);
    const second = await t.call("GET", base(), { query: { include_totals: true, page: 1, per_page: 50 } });
    expect(second.body).toEqual({ connections: [], start: 50, limit: 50, total: 2 });
  });

  it("filters on is_enabled, and total counts the matches", async () => {
    const enabled = await t.call("GET", base(), { query: { include_totals: true, is_enabled: true } });
    expect(enabled.body.total).toBe(1);
    expect(enabled.body.connections[0].connection_id).toBe(ids.db);
    const disabled = await t.call("GET", base(), { query: { is_enabled: false } });
    expect(disabled.body.map((c: { connection_id: string }) => c.connection_id)).toEqual([ids.okta]);
    const bad = await t.call("GET", base(), { query: { is_enabled: "yes" } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^Query validation error: 'Expected type boolean but found type string' on property is_enabled/);
  });

  it("returns a plain array without include_totals", async () => {
    const res = await t.call("GET", base(), { query: { per_page: 1 } });
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toHaveLength(1);
  });

  it("404s an unknown organization", async () => {
    expect((await t.call("GET", "/organizations/org_nope/connections")).status).toBe(404);
  });
});

describe("PATCH / DELETE connections/{connection_id}", () => {
  beforeEach(async () => {
    await t.call("POST", base(), {
      body: { connection_id: ids.db, organization_connection_name: "Staff", organization_access_level: "full", is_enabled: false },
    });
  });

  it("updates the fields sent and keeps the rest", async () => {
    const res = await t.call("PATCH", `${base()}/${ids.db}`, { body: { organization_access_level: "readonly" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ organization_connection_name: "Staff", organization_access_level: "readonly", is_enabled: false });
  });

  it("resets on null: the name is removed, the access level returns to none, the link is enabled", async () => {
    const res = await t.call("PATCH", `${base()}/${ids.db}`, {
      body: { organization_connection_name: null, organization_access_level: null, is_enabled: null },
    });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty("organization_connection_name");
    expect(res.body).toMatchObject({ organization_access_level: "none", is_enabled: true });
  });

  it("rejects connection_id in the body and wrong types", async () => {
    expect((await t.call("PATCH", `${base()}/${ids.db}`, { body: { connection_id: ids.okta } })).body.message).toBe(
      "Payload validation error: 'Additional properties not allowed: connection_id'.",
    );
    expect((await t.call("PATCH", `${base()}/${ids.db}`, { body: { is_enabled: "true" } })).status).toBe(400);
  });

  it("404s a link that does not exist", async () => {
    const res = await t.call("PATCH", `${base()}/${ids.okta}`, { body: { is_enabled: true } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(auth0Error(404, "Not Found", "No connection found by that id"));
    expect((await t.call("GET", `${base()}/${ids.okta}`)).status).toBe(404);
  });

  it("deletes a link; the second delete answers 204 too", async () => {
    expect((await t.call("DELETE", `${base()}/${ids.db}`)).status).toBe(204);
    expect((await t.call("DELETE", `${base()}/${ids.db}`)).status).toBe(204);
    expect((await t.call("GET", base())).body).toEqual([]);
  });
});

describe("both families are views of the same links", () => {
  it("a link made through the newer family shows through the older one without the newer fields", async () => {
    await t.call("POST", base(), {
      body: { connection_id: ids.db, organization_connection_name: "Staff", organization_access_level: "limited", is_enabled: false },
    });
    const old = await t.call("GET", `/organizations/${ids.org}/enabled_connections/${ids.db}`);
    expect(old.body).toEqual({
      connection_id: ids.db,
      assign_membership_on_login: false,
      is_signup_enabled: false,
      show_as_button: true,
      connection: { name: "acme-db", strategy: "auth0" },
    });
    // Disabled links are still listed by the older family.
    expect((await t.call("GET", `/organizations/${ids.org}/enabled_connections`)).body).toHaveLength(1);
  });

  it("a change through the older family keeps the newer family's settings", async () => {
    await t.call("POST", base(), { body: { connection_id: ids.db, organization_connection_name: "Staff", organization_access_level: "limited" } });
    await t.call("PATCH", `/organizations/${ids.org}/enabled_connections/${ids.db}`, { body: { assign_membership_on_login: true, show_as_button: false } });
    const now = await t.call("GET", `${base()}/${ids.db}`);
    expect(now.body).toMatchObject({
      organization_connection_name: "Staff",
      organization_access_level: "limited",
      assign_membership_on_login: true,
      show_as_button: false,
      is_enabled: true,
    });
  });

  it("a link made through the older family gets the newer family's defaults; deleting through either removes it", async () => {
    await t.call("POST", `/organizations/${ids.org}/enabled_connections`, { body: { connection_id: ids.okta } });
    expect((await t.call("GET", `${base()}/${ids.okta}`)).body).toMatchObject({ is_enabled: true, organization_access_level: "none" });
    await t.call("DELETE", `${base()}/${ids.okta}`);
    expect((await t.call("GET", `/organizations/${ids.org}/enabled_connections/${ids.okta}`)).status).toBe(404);
  });
});
