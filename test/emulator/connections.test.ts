/** `/connections` and `/connections/{id}`. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auth0Error, type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
beforeEach(async () => {
  t = await testEmulator();
});
afterEach(() => t.expectNoViolations());

const create = async (body: Record<string, unknown>) => {
  const res = await t.call("POST", "/connections", { body });
  expect(res.status).toBe(201);
  return res.body;
};

describe("POST /connections", () => {
  it("creates a database connection the way a live tenant answers", async () => {
    const c = await create({ name: "acme-db", strategy: "auth0" });
    expect(c.id).toMatch(/^con_[A-Za-z0-9]{16}$/);
    expect(c).toMatchObject({
      name: "acme-db",
      strategy: "auth0",
      is_domain_connection: false,
      enabled_clients: [],
      realms: ["acme-db"],
      authentication: { active: true },
      connected_accounts: { active: false },
    });
    expect(c.options).toMatchObject({ passwordPolicy: "good", brute_force_protection: true });
    // Fields are left out rather than sent as null.
    expect(c).not.toHaveProperty("display_name");
    expect(c).not.toHaveProperty("show_as_button");
  });

  it("gives enterprise connections show_as_button, and OIDC ones their name as display_name", async () => {
    const okta = await create({ name: "acme-okta", strategy: "okta", options: { domain: "acme.okta.com" } });
    expect(okta).toMatchObject({ show_as_button: false, display_name: "acme-okta" });
    expect(okta.options.domain).toBe("acme.okta.com");
    const ad = await create({ name: "acme-ad", strategy: "ad", display_name: "Acme AD" });
    expect(ad).toMatchObject({ display_name: "Acme AD", show_as_button: false });
    expect(ad.options).toEqual({ ips: null, brute_force_protection: true });
    expect(ad.provisioning_ticket_url).toMatch(/^https:\/\/emulator\.local\/p\/ad\//);
  });

  it("answers 409 for a name already used, and validates the body", async () => {
    await create({ name: "acme-db", strategy: "auth0" });
    expect((await t.call("POST", "/connections", { body: { name: "acme-db", strategy: "auth0" } })).status).toBe(409);
    const badName = await t.call("POST", "/connections", { body: { name: "-bad-", strategy: "auth0" } });
    expect(badName.status).toBe(400);
    expect(badName.body.message).toMatch(/^Payload validation error: 'String does not match pattern/);
    const noStrategy = await t.call("POST", "/connections", { body: { name: "x" } });
    expect(noStrategy.body.message).toBe("Payload validation error: 'Missing required property: strategy'.");
    const metadata = await t.call("POST", "/connections", {
      body: { name: "x", strategy: "auth0", metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, "v"])) },
    });
    expect(metadata.body.message).toMatch(/^Payload validation error: 'Too many properties defined \(11\), maximum 10' on property metadata/);
  });
});

describe("GET /connections/{id}", () => {
  it("reads a connection, and 404s an unknown one with Auth0's message", async () => {
    const c = await create({ name: "acme-db", strategy: "auth0" });
    expect((await t.call("GET", `/connections/${c.id}`)).body).toEqual(c);
    const missing = await t.call("GET", "/connections/con_nope");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(auth0Error(404, "Not Found", "The connection does not exist", "inexistent_connection"));
  });

  it("narrows the response with fields and include_fields", async () => {
    const c = await create({ name: "acme-db", strategy: "auth0", display_name: "Acme" });
    const only = await t.call("GET", `/connections/${c.id}`, { query: { fields: "name,display_name" } });
    // As recorded: id, is_domain_connection, authentication and connected_accounts come back whatever the list says.
    expect(Object.keys(only.body).sort()).toEqual(["authentication", "connected_accounts", "display_name", "id", "is_domain_connection", "name"]);
    const without = await t.call("GET", `/connections/${c.id}`, { query: { fields: "options,realms", include_fields: false } });
    expect(without.body).not.toHaveProperty("options");
    expect(without.body).not.toHaveProperty("realms");
    expect(without.body.name).toBe("acme-db");
  });

  it("leaves out every listed field with include_fields=false, id included, as a live tenant answered", async () => {
    const c = await create({ name: "acme-db", strategy: "auth0" });
    // Recorded (ruby-auth0 `should_exclude_the_fields_indicated`): `fields=name,id&include_fields=false` came
    // back with neither; the answer still validates against the spec (t.expectNoViolations).
    const neither = await t.call("GET", `/connections/${c.id}`, { query: { fields: "name,id", include_fields: false } });
    expect(neither.status).toBe(200);
    expect(neither.body).not.toHaveProperty("id");
    expect(neither.body).not.toHaveProperty("name");
    expect(neither.body).toMatchObject({ strategy: "auth0", is_domain_connection: false, realms: ["acme-db"] });
    const noAdded = await t.call("GET", `/connections/${c.id}`, {
      query: { fields: "is_domain_connection,authentication,connected_accounts", include_fields: false },
    });
    expect(Object.keys(noAdded.body).filter((key) => ["is_domain_connection", "authentication", "connected_accounts"].includes(key))).toEqual([]);
  });

  it("shows options only to tokens with read:connections_options", async () => {
    const c = await create({ name: "acme-db", strategy: "auth0" });
    const token = await t.emulator.issueToken({ scopes: ["read:connections"] });
    const res = await t.call("GET", `/connections/${c.id}`, { token });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty("options");
  });
});

describe("PATCH /connections/{id}", () => {
  it("replaces options whole: options not sent are gone, the service defaults come back", async () => {
    const c = await create({ name: "acme-db", strategy: "auth0", options: { passwordPolicy: "fair", mfa: { active: true } } });
    const res = await t.call("PATCH", `/connections/${c.id}`, { body: { options: { upstream_params: { screen_name: { alias: "login_hint" } } } } });
    expect(res.status).toBe(200);
    expect(res.body.options).not.toHaveProperty("passwordPolicy");
    expect(res.body.options).not.toHaveProperty("mfa");
    expect(res.body.options).toMatchObject({
      upstream_params: { screen_name: { alias: "login_hint" } },
      brute_force_protection: true,
      passkey_options: { challenge_ui: "both" },
    });
  });

  it("resets display_name when it is left out (to nothing, or to name for OIDC strategies)", async () => {
    const db = await create({ name: "acme-db", strategy: "auth0", display_name: "Acme" });
    const dbAfter = await t.call("PATCH", `/connections/${db.id}`, { body: { is_domain_connection: true } });
    expect(dbAfter.body).not.toHaveProperty("display_name");
    expect(dbAfter.body.is_domain_connection).toBe(true);
    const okta = await create({ name: "acme-okta", strategy: "okta", display_name: "Acme Okta" });
    expect((await t.call("PATCH", `/connections/${okta.id}`, { body: { show_as_button: true } })).body.display_name).toBe("acme-okta");
    expect((await t.call("PATCH", `/connections/${okta.id}`, { body: { display_name: "Kept" } })).body.display_name).toBe("Kept");
  });

  it("removes cross_app_access_resource_app on null, and sets metadata, realms and enabled_clients", async () => {
    const c = await create({ name: "xaa", strategy: "oidc", cross_app_access_resource_app: { status: "enabled" } });
    expect(c.cross_app_access_resource_app).toEqual({ status: "enabled" });
    const cleared = await t.call("PATCH", `/connections/${c.id}`, {
      body: { cross_app_access_resource_app: null, metadata: { team: "id" }, realms: ["acme.com"], enabled_clients: ["app1"] },
    });
    expect(cleared.body).not.toHaveProperty("cross_app_access_resource_app");
    expect(cleared.body).toMatchObject({ metadata: { team: "id" }, realms: ["acme.com"], enabled_clients: ["app1"] });
    const emptied = await t.call("PATCH", `/connections/${c.id}`, { body: { realms: [], enabled_clients: null } });
    expect(emptied.body).toMatchObject({ realms: ["xaa"], enabled_clients: [] });
  });

  it("rejects an empty body, unknown fields, and options without update:connections_options", async () => {
    const c = await create({ name: "acme-db", strategy: "auth0" });
    const empty = await t.call("PATCH", `/connections/${c.id}`, { body: {} });
    expect(empty.body.message).toBe("Payload validation error: 'Too few properties defined (0), minimum 1'.");
    expect((await t.call("PATCH", `/connections/${c.id}`, { body: { name: "renamed" } })).body.message).toBe(
      "Payload validation error: 'Additional properties not allowed: name'.",
    );
    const token = await t.emulator.issueToken({ scopes: ["update:connections"] });
    const scoped = await t.call("PATCH", `/connections/${c.id}`, { token, body: { options: {} } });
    expect(scoped.status).toBe(403);
    expect(scoped.body).toEqual(auth0Error(403, "Forbidden", "Insufficient scope, expected any of: update:connections_options", "insufficient_scope"));
  });

  it("404s an unknown connection", async () => {
    expect((await t.call("PATCH", "/connections/con_nope", { body: { show_as_button: true } })).status).toBe(404);
  });
});

describe("DELETE /connections/{id}", () => {
  it("answers 202 with deleted_at, then 204, and unlinks the connection from every organization", async () => {
    const c = await create({ name: "acme-db", strategy: "auth0" });
    const org = (await t.call("POST", "/organizations", { body: { name: "acme" } })).body.id;
    await t.call("POST", `/organizations/${org}/connections`, { body: { connection_id: c.id } });

    const first = await t.call("DELETE", `/connections/${c.id}`);
    expect(first.status).toBe(202);
    expect(new Date(first.body.deleted_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const second = await t.call("DELETE", `/connections/${c.id}`);
    expect(second.status).toBe(204);
    expect(second.text).toBe("");
    expect((await t.call("GET", `/connections/${c.id}`)).status).toBe(404);
    expect((await t.call("GET", `/organizations/${org}/connections`)).body).toEqual([]);
  });
});

describe("settings rules recorded from live tenants", () => {
  const attribute = (active: boolean, signup = "required") => ({ identifier: { active }, profile_required: true, signup: { status: signup } });

  it("refuses contradictory options.attributes on database connections, with the recorded messages", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ attributes: { email: attribute(true) }, validation: { username: { min: 1, max: 5 } } }, "Cannot set both options.attributes and options.validation"],
      [{ attributes: { username: attribute(true) }, requires_username: true }, "Cannot set both options.attributes and options.requires_username"],
      [{ attributes: { email: attribute(false), username: attribute(false) } }, "attributes must contain one active identifier"],
      [{ attributes: { phone_number: attribute(true, "inactive") } }, "attribute phone_number must also be required on signup"],
    ];
    for (const [options, message] of cases) {
      const refused = await t.call("POST", "/connections", { body: { name: "flexible-db", strategy: "auth0", options } });
      expect(refused.body).toEqual(auth0Error(400, "Bad Request", message, "invalid_body"));
    }
    const accepted = await t.call("POST", "/connections", {
      body: { name: "flexible-db", strategy: "auth0", options: { attributes: { email: attribute(true) }, requires_username: false } },
    });
    expect(accepted.status).toBe(201);
    expect(t.emulator.state.snapshot().connections.map((c) => c.name)).toEqual(["flexible-db"]);
  });

  it("refuses adding a non-unique email attribute in an update, but keeps one the connection was created with", async () => {
    const username = { username: attribute(true) };
    const plain = await create({ name: "plain-db", strategy: "auth0", options: { attributes: username } });
    const nonUniqueEmail = { attributes: { ...username, email: { ...attribute(false), unique: false } } };
    const added = await t.call("PATCH", `/connections/${plain.id}`, { body: { options: nonUniqueEmail } });
    expect(added.body).toEqual(auth0Error(400, "Bad Request", "cannot add non-unique email attribute", "invalid_body"));
    const born = await create({ name: "email-db", strategy: "auth0", options: nonUniqueEmail });
    expect((await t.call("PATCH", `/connections/${born.id}`, { body: { options: nonUniqueEmail } })).status).toBe(200);
  });

  it("accepts cross_app_access_requesting_app on oidc connections only", async () => {
    const refused = await t.call("POST", "/connections", { body: { name: "xaa-db", strategy: "auth0", cross_app_access_requesting_app: { active: true } } });
    expect(refused.body).toEqual(
      auth0Error(400, "Bad Request", "Cross App Access Requesting App is not supported for this connection.", "operation_not_supported"),
    );
    const oidc = await create({ name: "xaa-oidc", strategy: "oidc", cross_app_access_requesting_app: { active: true } });
    expect(oidc.cross_app_access_requesting_app).toEqual({ active: true });
    const off = await t.call("PATCH", `/connections/${oidc.id}`, { body: { cross_app_access_requesting_app: { active: false } } });
    expect(off.body.cross_app_access_requesting_app).toEqual({ active: false });
  });
});

describe("MCP connections (Auth0's published 422)", () => {
  const MESSAGE = "MCP connections must have connected_accounts.active set to true and authentication.active set to false";

  it("need connected accounts on and authentication off, on create and after an update", async () => {
    const wrong = await t.call("POST", "/connections", { body: { name: "notion", strategy: "notion-mcp" } });
    expect(wrong.body).toEqual(auth0Error(422, "Unprocessable Entity", MESSAGE));
    const mcp = await create({ name: "notion", strategy: "notion-mcp", authentication: { active: false }, connected_accounts: { active: true } });
    const broken = await t.call("PATCH", `/connections/${mcp.id}`, { body: { authentication: { active: true } } });
    expect(broken.body).toEqual(auth0Error(422, "Unprocessable Entity", MESSAGE));
    expect((await t.call("PATCH", `/connections/${mcp.id}`, { body: { display_name: "Notion" } })).status).toBe(200);
  });
});
