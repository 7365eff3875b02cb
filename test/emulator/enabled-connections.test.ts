/** `/organizations/{id}/enabled_connections[/{connectionId}]`: the older family's view of the links. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auth0Error, basicTenant, type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
let ids: { org: string; db: string; okta: string };
const base = () => `/organizations/${ids.org}/enabled_connections`;

beforeEach(async () => {
  t = await testEmulator();
  ids = await basicTenant(t);
});
afterEach(() => t.expectNoViolations());

describe("POST enabled_connections", () => {
  it("links a database connection with the defaults filled in", async () => {
    const res = await t.call("POST", base(), { body: { connection_id: ids.db } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      connection_id: ids.db,
      assign_membership_on_login: false,
      is_signup_enabled: false,
      show_as_button: true,
      connection: { name: "acme-db", strategy: "auth0" },
    });
  });

  it("leaves is_signup_enabled out for an enterprise connection", async () => {
    const res = await t.call("POST", base(), { body: { connection_id: ids.okta, assign_membership_on_login: true } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      connection_id: ids.okta,
      assign_membership_on_login: true,
      show_as_button: true,
      connection: { name: "acme-okta", strategy: "okta" },
    });
  });

  it("accepts is_signup_enabled only for a database connection with assign_membership_on_login", async () => {
    const ok = await t.call("POST", base(), { body: { connection_id: ids.db, assign_membership_on_login: true, is_signup_enabled: true } });
    expect(ok.status).toBe(201);
    expect(ok.body.is_signup_enabled).toBe(true);

    const enterprise = await t.call("POST", base(), { body: { connection_id: ids.okta, assign_membership_on_login: true, is_signup_enabled: true } });
    expect(enterprise.status).toBe(400);
    expect(enterprise.body).toEqual(
      auth0Error(400, "Bad Request", "Only database connections with assign_membership_on_login = true support is_signup_enabled = true.", "invalid_body"),
    );
    expect((await t.call("GET", `${base()}/${ids.okta}`)).status).toBe(404);
  });

  it("answers 409 for a connection already linked", async () => {
    await t.call("POST", base(), { body: { connection_id: ids.db } });
    const again = await t.call("POST", base(), { body: { connection_id: ids.db } });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(auth0Error(409, "Conflict", "The organization connection already exists."));
  });

  it("answers 404 for an unknown organization or connection", async () => {
    const org = await t.call("POST", "/organizations/org_nope/enabled_connections", { body: { connection_id: ids.db } });
    expect(org.status).toBe(404);
    expect(org.body.message).toBe("No organization found by that id or name");
    const con = await t.call("POST", base(), { body: { connection_id: "con_nope" } });
    expect(con.status).toBe(404);
    expect(con.body).toEqual(auth0Error(404, "Not Found", "The connection does not exist", "inexistent_connection"));
  });

  it("rejects unknown fields and wrong types", async () => {
    const typo = await t.call("POST", base(), { body: { conection_id: ids.db } });
    expect(typo.status).toBe(400);
    expect(typo.body.errorCode).toBe("invalid_body");
    const wrongType = await t.call("POST", base(), { body: { connection_id: ids.db, show_as_button: "yes" } });
    expect(wrongType.body.message).toBe(
      "Payload validation error: 'Expected type boolean but found type string' on property show_as_button (Whether the connection appears as a button on the organization's login prompt).",
    );
    expect(t.emulator.state.snapshot().links).toEqual([]);
  });

  it("stops at the entity limit of 10 connections per organization", async () => {
    for (let i = 0; i < 10; i++) {
      const con = await t.call("POST", "/connections", { body: { name: `db-${i}`, strategy: "auth0" } });
      expect((await t.call("POST", base(), { body: { connection_id: con.body.id } })).status).toBe(201);
    }
    const over = await t.call("POST", base(), { body: { connection_id: ids.db } });
    expect(over.status).toBe(400);
    expect(over.body.message).toBe("An organization can have at most 10 connections.");
    expect(t.emulator.state.snapshot().links).toHaveLength(10);
  });
});

describe("GET enabled_connections", () => {
  beforeEach(async () => {
    await t.call("POST", base(), { body: { connection_id: ids.db } });
    await t.call("POST", base(), { body: { connection_id: ids.okta } });
  });

  it("returns a plain array by default", async () => {
    const res = await t.call("GET", base());
    expect(res.status).toBe(200);
    expect(res.body.map((c: { connection_id: string }) => c.connection_id).sort()).toEqual([ids.db, ids.okta].sort());
  });

  it("with include_totals sets limit to the number of items returned, not per_page", async () => {
    const all = await t.call("GET", base(), { query: { include_totals: true, per_page: 100 } });
    expect(all.body).toMatchObject({ start: 0, limit: 2, total: 2 });
    const firstPage = await t.call("GET", base(), { query: { include_totals: true, per_page: 1, page: 0 } });
    expect(firstPage.body).toMatchObject({ start: 0, limit: 1, total: 2 });
    const pastEnd = await t.call("GET", base(), { query: { include_totals: true, per_page: 1, page: 5 } });
    expect(pastEnd.body).toEqual({ enabled_connections: [], start: 5, limit: 0, total: 2 });
  });

  it("pages through every link exactly once", async () => {
    const seen: string[] = [];
    for (let page = 0; page < 5; page++) {
      const res = await t.call("GET", base(), { query: { page, per_page: 1 } });
      if (res.body.length === 0) break;
      seen.push(...res.body.map((c: { connection_id: string }) => c.connection_id));
    }
    expect(seen.sort()).toEqual([ids.db, ids.okta].sort());
  });

  it("rejects bad paging parameters with invalid_query_string", async () => {
    const queries: Array<Record<string, string | number>> = [
      { per_page: 0 },
      { per_page: 101 },
      { page: -1 },
      { page: "two" },
      { include_totals: "maybe" },
      { unknown: 1 },
    ];
    for (const query of queries) {
      const res = await t.call("GET", base(), { query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.errorCode).toBe("invalid_query_string");
      expect(res.body.message).toMatch(/^Query validation error: /);
    }
  });

  it("answers 404 for an unknown organization", async () => {
    expect((await t.call("GET", "/organizations/org_nope/enabled_connections")).status).toBe(404);
  });
});

describe("GET / PATCH / DELETE enabled_connections/{connectionId}", () => {
  beforeEach(async () => {
    await t.call("POST", base(), { body: { connection_id: ids.db } });
  });

  it("reads one link, and 404s with Auth0's message for one that is not linked", async () => {
    expect((await t.call("GET", `${base()}/${ids.db}`)).body.connection_id).toBe(ids.db);
    const missing = await t.call("GET", `${base()}/${ids.okta}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(auth0Error(404, "Not Found", "No connection found by that id"));
  });

  it("updates only the fields sent", async () => {
    const res = await t.call("PATCH", `${base()}/${ids.db}`, { body: { assign_membership_on_login: true } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ assign_membership_on_login: true, show_as_button: true, is_signup_enabled: false });
    const signup = await t.call("PATCH", `${base()}/${ids.db}`, { body: { is_signup_enabled: true } });
    expect(signup.body.is_signup_enabled).toBe(true);
  });

  it("applies the is_signup_enabled rule to the link as it would become", async () => {
    const res = await t.call("PATCH", `${base()}/${ids.db}`, { body: { assign_membership_on_login: false, is_signup_enabled: true } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("Only database connections with assign_membership_on_login = true support is_signup_enabled = true.");
    expect((await t.call("GET", `${base()}/${ids.db}`)).body.is_signup_enabled).toBe(false);
  });

  it("rejects fields of the newer family", async () => {
    const res = await t.call("PATCH", `${base()}/${ids.db}`, { body: { is_enabled: false } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("Payload validation error: 'Additional properties not allowed: is_enabled'.");
  });

  it("404s a PATCH of a link that does not exist", async () => {
    expect((await t.call("PATCH", `${base()}/${ids.okta}`, { body: { show_as_button: false } })).status).toBe(404);
  });

  it("deletes a link; deleting it again also answers 204", async () => {
    const first = await t.call("DELETE", `${base()}/${ids.db}`);
    expect(first.status).toBe(204);
    expect((await t.call("DELETE", `${base()}/${ids.db}`)).status).toBe(204);
    expect((await t.call("GET", `${base()}/${ids.db}`)).status).toBe(404);
    expect((await t.call("DELETE", `/organizations/org_nope/enabled_connections/${ids.db}`)).status).toBe(404);
  });

  it("answers 400 invalid_uri for a connection id over 50 characters", async () => {
    const res = await t.call("GET", `${base()}/${"c".repeat(51)}`);
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe("invalid_uri");
  });
});
