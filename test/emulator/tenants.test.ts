/**
 * Issue 21: a tenant per test file in one emulator. Tenants live under `/tenants/{name}`, each with its own state,
 * seed, faults, rate limit and tokens (domain `{name}.emulator.local`), so parallel test files share one process
 * without sharing anything else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManagementClient } from "../../src/client/index.js";
import { createEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.js";

const APP = { client_id: "tenantApp000000000000000000000001", client_secret: "tenant-secret-Zq8vR2pL9xT4wK7m", name: "m2m" };
let running: RunningEmulator;
beforeAll(async () => {
  running = await startEmulator({ seed: { clients: [APP], organizations: [{ name: "seeded" }] } });
});
afterAll(() => running.close());

const clientFor = (baseUrl: string) => createManagementClient({ baseUrl, clientId: APP.client_id, clientSecret: APP.client_secret, retry: { maxRetries: 0 } });
const admin = (url: string, method: string, path: string, body?: unknown) =>
  fetch(`${url}/__emulator${path}`, {
    method,
    headers: method === "GET" ? {} : { "content-type": "application/json" },
    body: body === undefined ? (method === "GET" ? undefined : "{}") : JSON.stringify(body),
  });

describe("tenants over HTTP", () => {
  it("keep their own state and faults, each starting from the emulator's seed, with client credentials at their own base URL", async () => {
    const a = running.tenant("file-a");
    const b = running.tenant("file-b");
    expect(a.domain).toBe("file-a.emulator.local");
    expect(a.baseUrl).toBe(`${running.url}/tenants/file-a/api/v2`);
    const clientA = clientFor(a.baseUrl);
    const clientB = clientFor(b.baseUrl);
    await clientA.unwrap(clientA.POST("/organizations", { body: { name: "only-in-a" } }));
    const namesIn = async (client: typeof clientA) => (await client.unwrap(client.GET("/organizations", {}))).map((o) => o.name).sort();
    expect(await namesIn(clientA)).toEqual(["only-in-a", "seeded"]);
    expect(await namesIn(clientB)).toEqual(["seeded"]);
    expect((running.state.snapshot().organizations ?? []).map((o) => o.name)).toEqual(["seeded"]);

    b.faults.add({ operation: "listOrganizations", status: { code: 503 }, once: true });
    expect((await clientA.GET("/organizations", {})).response.status).toBe(200);
    expect((await clientB.GET("/organizations", {})).response.status).toBe(503);

    expect((await admin(a.url, "POST", "/reset")).status).toBe(204);
    expect(await namesIn(clientA)).toEqual(["seeded"]);
  });

  it("refuse each other's tokens: each tenant's audience is its own domain", async () => {
    const token = await running.tenant("tokens-a").issueToken();
    const own = await fetch(`${running.url}/tenants/tokens-a/api/v2/organizations`, { headers: { authorization: `Bearer ${token}` } });
    const other = await fetch(`${running.url}/tenants/tokens-b/api/v2/organizations`, { headers: { authorization: `Bearer ${token}` } });
    const root = await fetch(`${running.baseUrl}/organizations`, { headers: { authorization: `Bearer ${token}` } });
    expect([own.status, other.status, root.status]).toEqual([200, 401, 401]);
  });

  it("can be made with a seed of their own and listed through the admin API; bad names get Auth0's 400", async () => {
    const made = await admin(running.url, "POST", "/tenants", { name: "own-seed", seed: { organizations: [{ name: "special" }] } });
    expect(made.status).toBe(201);
    expect(await made.json()).toEqual({ name: "own-seed", domain: "own-seed.emulator.local" });
    expect((await admin(running.url, "POST", "/tenants", { name: "own-seed" })).status).toBe(409);
    const state = (await (await admin(`${running.url}/tenants/own-seed`, "GET", "/state")).json()) as { organizations: Array<{ name: string }> };
    expect(state.organizations.map((o) => o.name)).toEqual(["special"]);
    const listed = (await (await admin(running.url, "GET", "/tenants")).json()) as Array<{ name: string }>;
    expect(listed.map((t) => t.name)).toContain("own-seed");
    const bad = await fetch(`${running.url}/tenants/Not_A_Label/api/v2/organizations`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ statusCode: 400, error: "Bad Request", errorCode: "invalid_body" });
  });
});

describe("tenants in-process", () => {
  it("emulator.tenant(name) has its own fetch, state and faults", async () => {
    const emulator = createEmulator();
    const a = emulator.tenant("a");
    const token = await a.issueToken();
    const created = await a.fetch("/api/v2/organizations", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "acme" }),
    });
    expect(created.status).toBe(201);
    expect(a.state.snapshot().organizations).toHaveLength(1);
    expect(emulator.state.snapshot().organizations).toHaveLength(0);
    expect(emulator.tenant("a")).toBe(a);
    // The same tenant through the emulator's own fetch, under its prefix.
    const listed = await emulator.fetch("/tenants/a/api/v2/organizations", { headers: { authorization: `Bearer ${token}` } });
    expect(((await listed.json()) as unknown[]).length).toBe(1);
  });
});
