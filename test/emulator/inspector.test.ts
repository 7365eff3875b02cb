/**
 * The request inspector: what an application sent, as the admin API shows it — when, what, the answer, the scope
 * that allowed it, the rate-limit bucket and the error message — under the admin API's access rules, and never a
 * token or a secret.
 */
import { describe, expect, it } from "vitest";
import { createEmulator, type InspectedRequest } from "../../src/emulator/index.js";

const SECRET = "inspector-secret-Zq8vR2pL9xT4wK7m";
const SEED = {
  organizations: [{ id: "org_inspect0000000001", name: "acme" }],
  clients: [{ client_id: "inspected-app", name: "Inspected", client_secret: SECRET }],
};

async function requestsOf(emulator: ReturnType<typeof createEmulator>, headers: Record<string, string> = {}) {
  const response = await emulator.fetch("/__emulator/requests", { headers });
  return { status: response.status, text: await response.text() };
}

describe("the request inspector", () => {
  it("keeps only the newest requests, as many as it may", async () => {
    const emulator = createEmulator({ seed: SEED, inspectorCapacity: 3 });
    const token = await emulator.issueToken();
    for (let index = 0; index < 5; index += 1)
      await emulator.fetch(`/api/v2/organizations/org_missing00000000${index}`, { headers: { authorization: `Bearer ${token}` } });
    expect(emulator.inspector.list().map((r) => r.path.slice(-1))).toEqual(["4", "3", "2"]);
    expect(emulator.inspector.list(4).map((r) => r.seq)).toEqual([5]);
    emulator.inspector.clear();
    expect(emulator.inspector.list()).toEqual([]);
    expect(createEmulator({ inspectorCapacity: 0 }).inspector.list()).toEqual([]);
  });

  it("lists each answered request with its scope, bucket and error message, newest first", async () => {
    const emulator = createEmulator({ seed: SEED, rateLimit: { limit: 4, windowMs: 60_000 } });
    const token = await emulator.issueToken();
    const narrow = await emulator.issueToken({ scopes: ["read:connections"] });
    const get = (path: string, bearer: string) => emulator.fetch(`/api/v2${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    expect((await get("/organizations/org_inspect0000000001", token)).status).toBe(200);
    expect((await get("/organizations/org_missing000000001", token)).status).toBe(404);
    expect((await get("/organizations/org_inspect0000000001", narrow)).status).toBe(403);
    expect((await get("/organizations", token)).status).toBe(200);
    expect((await get("/organizations", token)).status).toBe(429);

    const { status, text } = await requestsOf(emulator);
    expect(status).toBe(200);
    const { requests, capacity } = JSON.parse(text) as { requests: InspectedRequest[]; capacity: number };
    expect(capacity).toBe(200);
    expect(requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", "/api/v2/organizations", 429],
      ["GET", "/api/v2/organizations", 200],
      ["GET", "/api/v2/organizations/org_inspect0000000001", 403],
      ["GET", "/api/v2/organizations/org_missing000000001", 404],
      ["GET", "/api/v2/organizations/org_inspect0000000001", 200],
    ]);
    expect(requests[4]).toMatchObject({ operation: "getOrganization", scope: "read:organizations", bucket: "tenant", source: "api" });
    expect(requests[4]!.message).toBeUndefined();
    expect(requests[3]).toMatchObject({ scope: "read:organizations", message: "No organization found by that id or name" });
    expect(requests[2]).toMatchObject({ message: "Insufficient scope, expected any of: read:organizations,read:organizations_summary" });
    expect(requests[2]!.scope).toBeUndefined();
    expect(requests[0]).toMatchObject({ bucket: "tenant", message: "Global limit has been reached" });
    expect(Date.parse(requests[0]!.time)).toBeGreaterThanOrEqual(Date.parse(requests[4]!.time));
    // Only what came after a request the caller already saw.
    const newer = await emulator.fetch(`/__emulator/requests?after=${requests[1]!.seq}`);
    expect(((await newer.json()) as { requests: InspectedRequest[] }).requests).toHaveLength(1);
  });

  it("never shows a token, a client secret, a query string or a body", async () => {
    const emulator = createEmulator({ seed: SEED });
    const tokenResponse = await emulator.fetch("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: "inspected-app", client_secret: SECRET, audience: emulator.audience }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    await emulator.fetch("/api/v2/organizations?include_totals=true&q=secret-in-query", { headers: { authorization: `Bearer ${token}` } });
    await emulator.fetch("/api/v2/organizations", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "body-secret-name" }),
    });
    await emulator.fetch("/api/v2/organizations", { headers: { authorization: `Bearer ${token}x` } });
    const { text } = await requestsOf(emulator);
    const shown = JSON.parse(text) as { requests: InspectedRequest[] };
    expect(shown.requests).toHaveLength(3);
    for (const secret of [token, token.split(".")[2]!, SECRET, "secret-in-query", "body-secret-name", "Bearer"]) expect(text).not.toContain(secret);
  });

  it("answers only as the admin API does: not to a page of another origin", async () => {
    const emulator = createEmulator({ seed: SEED });
    const foreign = await requestsOf(emulator, { origin: "https://attacker.example" });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.text)).toMatchObject({ statusCode: 403, message: "The admin API does not answer requests from web pages of other origins." });
    const guarded = createEmulator({ seed: SEED, adminToken: "inspector-admin-token-0123" });
    expect((await requestsOf(guarded)).status).toBe(403);
    expect((await requestsOf(guarded, { authorization: "Bearer inspector-admin-token-0123" })).status).toBe(200);
  });
});
