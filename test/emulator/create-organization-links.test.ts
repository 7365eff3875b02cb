/**
 * `POST /organizations` with `enabled_connections` (recorded from live tenants): the links are made with the
 * enabled_connections family's defaults and rules, all or none, and the field needs a second scope (read from
 * the spec's `x-additional-scopes`).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auth0Error, type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
let db: string;
let okta: string;

beforeEach(async () => {
  t = await testEmulator({ entityLimit: 3 });
  db = (await t.call("POST", "/connections", { body: { name: "acme-db", strategy: "auth0" } })).body.id;
  okta = (await t.call("POST", "/connections", { body: { name: "acme-okta", strategy: "okta" } })).body.id;
});
afterEach(() => t.expectNoViolations());

const namesOfOrganizations = () => t.emulator.state.snapshot().organizations.map((o) => o.name);

describe("POST /organizations with enabled_connections", () => {
  it("links every listed connection with the link endpoints' defaults and answers them like the enabled_connections family", async () => {
    const created = await t.call("POST", "/organizations", {
      body: {
        name: "acme",
        enabled_connections: [
          { connection_id: okta, assign_membership_on_login: true },
          { connection_id: db, assign_membership_on_login: true, is_signup_enabled: true },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.enabled_connections).toEqual([
      { connection_id: okta, assign_membership_on_login: true, show_as_button: true, connection: { name: "acme-okta", strategy: "okta" } },
      {
        connection_id: db,
        assign_membership_on_login: true,
        is_signup_enabled: true,
        show_as_button: true,
        connection: { name: "acme-db", strategy: "auth0" },
      },
    ]);
    const listed = await t.call("GET", `/organizations/${created.body.id}/connections`);
    expect(listed.body.map((l: { connection_id: string; organization_access_level: string }) => [l.connection_id, l.organization_access_level])).toEqual([
      [okta, "none"],
      [db, "none"],
    ]);
    // GET shows the organization without its links, as the live service does.
    expect((await t.call("GET", `/organizations/${created.body.id}`)).body).not.toHaveProperty("enabled_connections");
  });

  it("creates nothing when one link fails: unknown connection 404, listed twice 409, sign-up rule 400, entity limit 400", async () => {
    const unknown = await t.call("POST", "/organizations", {
      body: { name: "one", enabled_connections: [{ connection_id: db }, { connection_id: "con_nope" }] },
    });
    expect(unknown.body).toEqual(auth0Error(404, "Not Found", "The connection does not exist", "inexistent_connection"));
    const twice = await t.call("POST", "/organizations", { body: { name: "two", enabled_connections: [{ connection_id: db }, { connection_id: db }] } });
    expect(twice.body).toEqual(auth0Error(409, "Conflict", "The organization connection already exists."));
    const signup = await t.call("POST", "/organizations", {
      body: { name: "three", enabled_connections: [{ connection_id: okta, is_signup_enabled: true, assign_membership_on_login: true }] },
    });
    expect(signup.status).toBe(400);
    expect(signup.body.errorCode).toBe("invalid_body");
    const extra = [];
    for (let i = 0; i < 2; i++) extra.push((await t.call("POST", "/connections", { body: { name: `extra-${i}`, strategy: "auth0" } })).body.id);
    const overLimit = await t.call("POST", "/organizations", {
      body: { name: "four", enabled_connections: [db, okta, ...extra].map((connection_id) => ({ connection_id })) },
    });
    expect(overLimit.status).toBe(400);
    expect(namesOfOrganizations()).toEqual([]);
    expect(t.emulator.state.snapshot().links).toEqual([]);
  });

  it("refuses more than 10 items and unknown item fields before doing anything", async () => {
    const eleven = Array.from({ length: 11 }, () => ({ connection_id: db }));
    expect((await t.call("POST", "/organizations", { body: { name: "many", enabled_connections: eleven } })).body.errorCode).toBe("invalid_body");
    expect(
      (await t.call("POST", "/organizations", { body: { name: "typo", enabled_connections: [{ connection_id: db, is_enabled: true }] } })).body.errorCode,
    ).toBe("invalid_body");
    expect(namesOfOrganizations()).toEqual([]);
  });

  it("needs create:organization_connections as well, only when the field is sent", async () => {
    const token = await t.emulator.issueToken({ scopes: ["create:organizations"] });
    const refused = await t.call("POST", "/organizations", { token, body: { name: "acme", enabled_connections: [{ connection_id: db }] } });
    expect(refused.body).toEqual(auth0Error(403, "Forbidden", "Insufficient scope, expected any of: create:organization_connections", "insufficient_scope"));
    expect(namesOfOrganizations()).toEqual([]);
    expect((await t.call("POST", "/organizations", { token, body: { name: "acme" } })).status).toBe(201);
  });
});

describe("GET /organizations/{id} scopes", () => {
  it("accepts read:organizations_summary instead of read:organizations", async () => {
    const id = (await t.call("POST", "/organizations", { body: { name: "acme" } })).body.id;
    const summary = await t.emulator.issueToken({ scopes: ["read:organizations_summary"] });
    expect((await t.call("GET", `/organizations/${id}`, { token: summary })).status).toBe(200);
    const neither = await t.emulator.issueToken({ scopes: ["read:connections"] });
    expect((await t.call("GET", `/organizations/${id}`, { token: neither })).body.message).toBe(
      "Insufficient scope, expected any of: read:organizations,read:organizations_summary",
    );
  });
});
