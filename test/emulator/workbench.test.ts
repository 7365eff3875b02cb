/**
 * What the dashboard reads and the one door it writes through, as JSON from the admin API: organizations searched
 * and paged at 10,000, connections with the organizations that use them, applications without secrets, the login
 * prompt an organization's links make, and `POST /__emulator/api` (the Management API's own pipeline and messages,
 * recorded as the dashboard's, past the fault injection, JSON only).
 */
import { describe, expect, it } from "vitest";
import { createEmulator, type SeedData } from "../../src/emulator/index.js";
import { SIGNUP_RULE_MESSAGE } from "../../src/emulator/store.js";

const SEED: SeedData = {
  organizations: [
    { id: "org_work000000000001", name: "acme", display_name: "Acme Corporation" },
    { id: "org_work000000000002", name: "globex", display_name: "Globex" },
  ],
  connections: [
    { id: "con_db00000000000001", name: "acme-db", strategy: "auth0" },
    { id: "con_okta000000000001", name: "acme-okta", strategy: "okta", display_name: "Acme Okta" },
    { id: "con_saml000000000001", name: "acme-saml", strategy: "samlp" },
    { id: "con_goog000000000001", name: "google", strategy: "google-oauth2" },
    { id: "con_mail000000000001", name: "email", strategy: "email" },
    { id: "con_unused0000000001", name: "unused", strategy: "auth0" },
  ],
  clients: [{ client_id: "work-app", name: "Work App", client_secret: "work-secret-Zq8vR2pL9xT4wK7m0", scopes: ["read:organizations"] }],
  client_grants: [
    { id: "cgr_work000000000001", client_id: "work-app", audience: "https://api.acme.example/", scope: ["read:invoices"], organization_ids: ["acme"] },
  ],
  links: [
    { organization_id: "acme", connection_id: "acme-db", assign_membership_on_login: true, is_signup_enabled: true },
    { organization_id: "acme", connection_id: "acme-okta", assign_membership_on_login: true, show_as_button: true, organization_connection_name: "Acme SSO" },
    { organization_id: "acme", connection_id: "acme-saml", show_as_button: false },
    { organization_id: "acme", connection_id: "google" },
    { organization_id: "acme", connection_id: "email", is_enabled: false },
    { organization_id: "globex", connection_id: "acme-db" },
  ],
};

async function adminGet(emulator: ReturnType<typeof createEmulator>, path: string) {
  const response = await emulator.fetch(`/__emulator${path}`);
  return { status: response.status, body: await response.json() };
}

async function viaDashboard(emulator: ReturnType<typeof createEmulator>, call: unknown, contentType = "application/json") {
  const response = await emulator.fetch("/__emulator/api", {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof call === "string" ? call : JSON.stringify(call),
  });
  return { status: response.status, body: await response.json() };
}

describe("the dashboard's reads", () => {
  // Seeding 10,000 organizations checks each against the spec's schema: seconds, more on a busy machine.
  it("searches and pages organizations, 50 at a time, at 10,000", { timeout: 180_000 }, async () => {
    const emulator = createEmulator({ seed: SEED });
    emulator.state.seed({
      organizations: Array.from({ length: 10_000 }, (_, index) => ({ name: `tenant-${String(index).padStart(5, "0")}`, display_name: `Customer ${index}` })),
    });
    const first = await adminGet(emulator, "/organizations");
    expect(first.body).toMatchObject({ total: 10_002, page: 0, per_page: 50 });
    expect(first.body.organizations).toHaveLength(50);
    expect(first.body.organizations[0]).toEqual({ id: "org_work000000000001", name: "acme", display_name: "Acme Corporation", connections: 5 });
    const last = await adminGet(emulator, "/organizations?page=200");
    expect(last.body.page).toBe(200);
    expect(last.body.organizations.map((o: { name: string }) => o.name)).toEqual(["tenant-09998", "tenant-09999"]);
    // Past the end: the last page.
    expect((await adminGet(emulator, "/organizations?page=9999")).body.page).toBe(200);
    const found = await adminGet(emulator, "/organizations?q=TENANT-0999");
    expect(found.body.total).toBe(10);
    expect((await adminGet(emulator, "/organizations?q=customer%201234")).body.organizations.map((o: { name: string }) => o.name)).toEqual(["tenant-01234"]);
  });

  it("lists connections with the organizations that use them, and applications and grants without secrets", async () => {
    const emulator = createEmulator({ seed: SEED });
    const { connections } = (await adminGet(emulator, "/connections")).body;
    expect(connections.find((c: { name: string }) => c.name === "acme-db").organizations).toEqual([
      { id: "org_work000000000001", name: "acme" },
      { id: "org_work000000000002", name: "globex" },
    ]);
    expect(connections.find((c: { name: string }) => c.name === "unused").organizations).toEqual([]);
    const response = await emulator.fetch("/__emulator/applications");
    const text = await response.text();
    expect(text).not.toContain("work-secret");
    expect(JSON.parse(text)).toEqual({
      applications: [{ client_id: "work-app", name: "Work App" }],
      client_grants: [
        {
          id: "cgr_work000000000001",
          client_id: "work-app",
          audience: "https://api.acme.example/",
          scope: ["read:invoices"],
          organizations: [{ id: "org_work000000000001", name: "acme" }],
        },
      ],
    });
  });

  it("works out the login prompt: a form with sign-up, buttons, a domain-only enterprise connection, a code, and what is not offered", async () => {
    const emulator = createEmulator({ seed: SEED });
    const { body } = await adminGet(emulator, "/login-prompt?organization=org_work000000000001");
    expect(body.organization).toEqual({ id: "org_work000000000001", name: "acme", display_name: "Acme Corporation" });
    expect(body.options.map((o: Record<string, unknown>) => [o.connection_name, o.kind, o.label, o.signup, o.assigns_membership])).toEqual([
      ["acme-db", "password-form", "acme-db", true, true],
      ["acme-okta", "button", "Acme SSO", false, true],
      ["acme-saml", "domain-only", "acme-saml", false, false],
      ["google", "button", "google", false, false],
    ]);
    expect(body.hidden).toEqual([{ connection_id: "con_mail000000000001", connection_name: "email", reason: "is_enabled is false" }]);
    expect(body.documentation[0].url).toBe("https://auth0.com/docs/manage-users/organizations/configure-organizations/enable-connections");
    expect((await adminGet(emulator, "/login-prompt?organization=org_nothere0000000001")).body).toMatchObject({
      statusCode: 404,
      message: "No organization found by that id or name",
    });
  });
});

describe("the dashboard's one door for changes, POST /__emulator/api", () => {
  it("goes through the Management API's pipeline: its rules, its messages, recorded as the dashboard's", async () => {
    const emulator = createEmulator({ seed: SEED });
    const refused = await viaDashboard(emulator, {
      method: "POST",
      path: "/organizations/org_work000000000002/connections",
      body: { connection_id: "con_okta000000000001", is_signup_enabled: true, assign_membership_on_login: true },
    });
    expect(refused).toEqual({
      status: 200,
      body: { status: 400, body: { statusCode: 400, error: "Bad Request", message: SIGNUP_RULE_MESSAGE, errorCode: "invalid_body" } },
    });
    const created = await viaDashboard(emulator, {
      method: "POST",
      path: "/organizations/org_work000000000002/connections",
      body: { connection_id: "con_okta000000000001", assign_membership_on_login: true },
    });
    expect(created.body.status).toBe(201);
    expect(
      emulator.state
        .snapshot()
        .links.filter((l) => l.organization_id === "org_work000000000002")
        .map((l) => l.connection_id),
    ).toEqual(["con_db00000000000001", "con_okta000000000001"]);
    const [latest] = emulator.inspector.list();
    expect(latest).toMatchObject({
      method: "POST",
      path: "/api/v2/organizations/org_work000000000002/connections",
      status: 201,
      scope: "create:organization_connections",
      source: "dashboard",
    });
  });

  it("is not hit by the faults meant for the application under test, and leaves their counts alone", async () => {
    const emulator = createEmulator({ seed: SEED, faults: { status: { code: 503, count: 2 } } });
    expect((await viaDashboard(emulator, { method: "GET", path: "/organizations/org_work000000000001" })).body.status).toBe(200);
    expect(emulator.faults.current()).toEqual({ status: { code: 503, count: 2 } });
  });

  it("takes only JSON calls of the Management API's methods and paths (a form post is refused before it is read)", async () => {
    const emulator = createEmulator({ seed: SEED });
    expect(await viaDashboard(emulator, "method=DELETE&path=/organizations/org_work000000000001", "application/x-www-form-urlencoded")).toMatchObject({
      status: 403,
      body: { message: "Admin API writes must send Content-Type: application/json." },
    });
    expect((await viaDashboard(emulator, { method: "PUT", path: "/organizations" })).body.message).toBe("method must be GET, POST, PATCH or DELETE");
    expect((await viaDashboard(emulator, { method: "GET", path: "https://elsewhere.example/x" })).body.message).toBe(
      "path must be a Management API path such as /organizations",
    );
    expect((await adminGet(emulator, "/organizations")).body.total).toBe(2);
  });
});
