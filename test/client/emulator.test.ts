/**
 * End to end against the emulator, in-process: the client's real code on top of the emulated tenant's real
 * token checks, validation, rate limiting and faults (emulator.fetch is the whole API, no socket).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createEmulator } from "../../src/emulator/index.js";
import { listOperations } from "../../src/shared/spec.js";
import { ManagementApiError, createManagementClient, paginate, type ManagementClient, type RetryEvent } from "../../src/client/index.js";
import { rejectionOf } from "./fake-fetch.js";

const APP = { client_id: "m2mAppClientId0000000000000000001", client_secret: "emulator-secret-Zq8vR2pL9xT4wK7m", name: "m2m" };

const GRANT = {
  id: "cgr_m2mApp0000000001",
  client_id: APP.client_id,
  audience: "https://api.acme.example/",
  scope: ["read:invoices"],
  organization_usage: "allow" as const,
};

function tenant(options: Parameters<typeof createEmulator>[0] = {}) {
  const emulator = createEmulator({ seed: { clients: [APP], client_grants: [GRANT] }, ...options });
  const baseUrl = `https://${emulator.domain}/api/v2`;
  return { emulator, baseUrl };
}

/** Records which spec operations (method + path template) a client called. */
function recordOperations(client: ManagementClient): Set<string> {
  const seen = new Set<string>();
  client.use({
    onRequest({ request, schemaPath }) {
      seen.add(`${request.method.toLowerCase()} ${schemaPath}`);
    },
  });
  return seen;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the client against the emulator", () => {
  it("calls every operation of the spec with client credentials, end to end", async () => {
    const { emulator, baseUrl } = tenant();
    const client = createManagementClient({ baseUrl, clientId: APP.client_id, clientSecret: APP.client_secret, fetch: emulator.fetch });
    const called = recordOperations(client);
    const { unwrap } = client;

    const org = await unwrap(client.POST("/organizations", { body: { name: "acme", display_name: "Acme" } }));
    expect(await unwrap(client.GET("/organizations/{id}", { params: { path: { id: org.id } } }))).toMatchObject({ id: org.id, name: "acme" });

    const db = await unwrap(client.POST("/connections", { body: { name: "acme-users", strategy: "auth0" } }));
    const sso = await unwrap(client.POST("/connections", { body: { name: "acme-okta", strategy: "okta", options: {} } }));
    expect(await unwrap(client.GET("/connections/{id}", { params: { path: { id: db.id } } }))).toMatchObject({ id: db.id, name: "acme-users" });
    expect(
      await unwrap(client.PATCH("/connections/{id}", { params: { path: { id: db.id } }, body: { display_name: "Acme users", metadata: { team: "idp" } } })),
    ).toMatchObject({
      display_name: "Acme users",
    });
    expect(
      await unwrap(client.PATCH("/connections/{id}/clients", { params: { path: { id: db.id } }, body: [{ client_id: APP.client_id, status: true }] })),
    ).toBeUndefined();
    expect(await unwrap(client.GET("/connections/{id}/clients", { params: { path: { id: db.id } } }))).toEqual({ clients: [{ client_id: APP.client_id }] });

    // The older family.
    const id = org.id;
    await unwrap(
      client.POST("/organizations/{id}/enabled_connections", { params: { path: { id } }, body: { connection_id: db.id, assign_membership_on_login: true } }),
    );
    const enabled = await unwrap(client.GET("/organizations/{id}/enabled_connections/{connectionId}", { params: { path: { id, connectionId: db.id } } }));
    expect(enabled).toMatchObject({ connection_id: db.id, assign_membership_on_login: true, connection: { name: "acme-users", strategy: "auth0" } });
    await unwrap(
      client.PATCH("/organizations/{id}/enabled_connections/{connectionId}", {
        params: { path: { id, connectionId: db.id } },
        body: { is_signup_enabled: true },
      }),
    );
    expect(await unwrap(client.GET("/organizations/{id}/enabled_connections", { params: { path: { id } } }))).toHaveLength(1);

    // The newer family.
    const link = await unwrap(
      client.POST("/organizations/{id}/connections", {
        params: { path: { id } },
        body: { connection_id: sso.id, organization_access_level: "readonly", is_enabled: true },
      }),
    );
    expect(link).toMatchObject({ connection_id: sso.id, organization_access_level: "readonly", is_enabled: true });
    const patched = await unwrap(
      client.PATCH("/organizations/{id}/connections/{connection_id}", {
        params: { path: { id, connection_id: sso.id } },
        body: { organization_connection_name: "Okta", is_enabled: null },
      }),
    );
    expect(patched.organization_connection_name).toBe("Okta");
    expect(await unwrap(client.GET("/organizations/{id}/connections/{connection_id}", { params: { path: { id, connection_id: sso.id } } }))).toMatchObject({
      organization_connection_name: "Okta",
    });
    const page = await unwrap(client.GET("/organizations/{id}/connections", { params: { path: { id }, query: { include_totals: true } } }));
    expect(Array.isArray(page) ? undefined : page.total).toBe(2);

    // Around the links: lists, lookup by name, rename, applications and grants.
    expect(await unwrap(client.GET("/connections", { params: { query: { name: "acme-okta", take: 1 } } }))).toMatchObject({ connections: [{ id: sso.id }] });
    expect(await unwrap(client.GET("/organizations", { params: { query: { include_totals: true } } }))).toMatchObject({ total: 1 });
    expect(await unwrap(client.GET("/organizations/name/{name}", { params: { path: { name: "acme" } } }))).toMatchObject({ id });
    expect(await unwrap(client.PATCH("/organizations/{id}", { params: { path: { id } }, body: { name: "acme-renamed" } }))).toMatchObject({
      id,
      name: "acme-renamed",
      display_name: "Acme",
    });
    expect(await unwrap(client.GET("/clients", { params: { query: { fields: "client_id" } } }))).toEqual([{ tenant: "emulator", client_id: APP.client_id }]);
    expect(await unwrap(client.GET("/client-grants", { params: { query: { take: 10 } } }))).toEqual({ client_grants: [GRANT] });
    expect(await unwrap(client.GET("/organizations/{id}/client-grants", { params: { path: { id } } }))).toEqual([]);
    expect(await unwrap(client.POST("/organizations/{id}/client-grants", { params: { path: { id } }, body: { grant_id: GRANT.id } }))).toEqual({
      grant_id: GRANT.id,
      client_id: APP.client_id,
      audience: GRANT.audience,
      scope: GRANT.scope,
      organization_usage: "allow",
    });
    expect(await unwrap(client.GET("/organizations/{id}/client-grants", { params: { path: { id } } }))).toEqual([GRANT]);
    expect(await unwrap(client.DELETE("/organizations/{id}/client-grants/{grant_id}", { params: { path: { id, grant_id: GRANT.id } } }))).toBeUndefined();

    // Tear down.
    await unwrap(client.DELETE("/organizations/{id}/connections/{connection_id}", { params: { path: { id, connection_id: sso.id } } }));
    await unwrap(client.DELETE("/organizations/{id}/enabled_connections/{connectionId}", { params: { path: { id, connectionId: db.id } } }));
    await unwrap(client.DELETE("/connections/{id}", { params: { path: { id: sso.id } } }));
    await unwrap(client.DELETE("/organizations/{id}", { params: { path: { id } } }));

    const everyOperation = listOperations().map((op) => `${op.method} ${op.pathTemplate}`);
    expect([...called].sort()).toEqual(everyOperation.sort());
  });

  it("walks the tenant's connections with checkpoint paging", async () => {
    const connections = Array.from({ length: 7 }, (_, i) => ({ name: `conn-${i}`, strategy: i % 2 === 0 ? "auth0" : "okta" }));
    const { emulator, baseUrl } = tenant({ seed: { connections } });
    const client = createManagementClient({ baseUrl, token: await emulator.issueToken(), fetch: emulator.fetch });
    const names: string[] = [];
    for await (const item of paginate(client, "/connections", { params: { query: { take: 2, strategy: ["auth0"] } } })) names.push(item.name ?? "");
    expect(names).toEqual(["conn-0", "conn-2", "conn-4", "conn-6"]);
  });

  it("pages through both families, whatever `limit` says", async () => {
    const connections = Array.from({ length: 7 }, (_, i) => ({ name: `conn-${i}`, strategy: "auth0" }));
    const { emulator, baseUrl } = tenant({
      entityLimit: 20,
      seed: {
        organizations: [{ id: "org_aaaaaaaaaaaaaaaa", name: "acme" }],
        connections,
        links: connections.map((c) => ({ organization_id: "org_aaaaaaaaaaaaaaaa", connection_id: c.name })),
      },
    });
    const client = createManagementClient({ baseUrl, token: await emulator.issueToken(), fetch: emulator.fetch });
    for (const path of ["/organizations/{id}/enabled_connections", "/organizations/{id}/connections"] as const) {
      const names: string[] = [];
      for await (const item of paginate(client, path, { params: { path: { id: "org_aaaaaaaaaaaaaaaa" }, query: { per_page: 3 } } }))
        names.push(item.connection.name);
      expect(names.sort()).toEqual(connections.map((c) => c.name).sort());
    }
  });

  it("turns the emulator's refusals into ManagementApiErrors", async () => {
    const { emulator, baseUrl } = tenant({ seed: { organizations: [{ id: "org_bbbbbbbbbbbbbbbb", name: "acme" }] } });
    const readOnly = createManagementClient({ baseUrl, token: await emulator.issueToken({ scopes: ["read:organizations"] }), fetch: emulator.fetch });
    const failure = await rejectionOf(readOnly.unwrap(readOnly.GET("/organizations/{id}/connections", { params: { path: { id: "org_bbbbbbbbbbbbbbbb" } } })));
    expect(failure).toBeInstanceOf(ManagementApiError);
    expect(failure).toMatchObject({
      statusCode: 403,
      errorCode: "insufficient_scope",
      method: "GET",
      path: "/api/v2/organizations/org_bbbbbbbbbbbbbbbb/connections",
    });

    const wrongSecret = createManagementClient({ baseUrl, clientId: APP.client_id, clientSecret: "not-the-secret-at-all", fetch: emulator.fetch });
    const denied = await rejectionOf(wrongSecret.GET("/organizations/{id}", { params: { path: { id: "org_bbbbbbbbbbbbbbbb" } } }));
    expect(denied).toMatchObject({ statusCode: 401, errorCode: "access_denied", path: "/oauth/token" });
  });

  it("keeps a traversal id inside its path segment", async () => {
    const { emulator, baseUrl } = tenant({ seed: { organizations: [{ id: "org_cccccccccccccccc", name: "acme" }] } });
    const client = createManagementClient({ baseUrl, token: await emulator.issueToken(), fetch: emulator.fetch });
    const { response, error } = await client.GET("/organizations/{id}/enabled_connections", {
      params: { path: { id: "../../organizations/org_cccccccccccccccc" } },
    });
    expect(response.status).toBe(404);
    expect(error?.message).toBe("No organization found by that id or name");
  });

  it("waits out the emulator's rate limit until its reset and succeeds (fake timers)", async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { emulator, baseUrl } = tenant({
      rateLimit: { limit: 2, windowMs: 10_000 },
      seed: { organizations: [{ id: "org_dddddddddddddddd", name: "acme" }] },
    });
    const retries: RetryEvent[] = [];
    const client = createManagementClient({ baseUrl, token: await emulator.issueToken(), fetch: emulator.fetch, onRetry: (event) => retries.push(event) });
    const get = () => client.GET("/organizations/{id}", { params: { path: { id: "org_dddddddddddddddd" } } });
    // Both requests the bucket holds go at once: one left in the budget is never held back.
    await get();
    await get();
    expect(client.rateLimit?.remaining).toBe(0);
    const third = get();
    await vi.advanceTimersByTimeAsync(12_000);
    const { data, response } = await third;
    expect(response.status).toBe(200);
    expect(data?.name).toBe("acme");
    // It waited for room instead of being refused and retried.
    expect(retries).toEqual([]);
  });

  it("retries an idempotent read through a dropped connection, not a create", async () => {
    const { emulator, baseUrl } = tenant({ seed: { organizations: [{ id: "org_eeeeeeeeeeeeeeee", name: "acme" }] } });
    const client = createManagementClient({ baseUrl, token: await emulator.issueToken(), fetch: emulator.fetch, retry: { baseDelayMs: 1 } });
    emulator.faults.set({ drop: { count: 1 } });
    expect((await client.GET("/organizations/{id}", { params: { path: { id: "org_eeeeeeeeeeeeeeee" } } })).response.status).toBe(200);
    emulator.faults.set({ drop: { count: 1 } });
    await expect(client.POST("/organizations", { body: { name: "other" } })).rejects.toThrow(TypeError);
  });
});
