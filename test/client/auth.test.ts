/** Authentication: static tokens, token functions, and the client-credentials grant with its cache and refreshes. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ManagementApiError, createManagementClient, type RetryEvent } from "../../src/client/index.js";
import { ORG, auth0Error, fakeFetch, fakeJwt, json, type SeenRequest } from "./fake-fetch.js";

const CLIENT_SECRET = "s3cr3t-Qx9vLmZr7TyP2wKd8NcB4hJf6GsA1eR5";
const org = { id: ORG, name: "acme" };

/** A tenant whose token endpoint hands out numbered tokens valid for `expiresIn` seconds. */
function tenant(
  options: { expiresIn?: number; api?: (request: SeenRequest, token: string) => Response | Promise<Response>; tokenAnswer?: () => Response } = {},
) {
  let issued = 0;
  const fake = fakeFetch(async (request) => {
    if (request.url.pathname.endsWith("/token")) {
      if (options.tokenAnswer) return options.tokenAnswer();
      issued += 1;
      // Let concurrent callers pile up while the "network" is busy.
      await Promise.resolve();
      return json(200, {
        access_token: fakeJwt(`token-${issued}`),
        token_type: "Bearer",
        expires_in: options.expiresIn ?? 86_400,
        scope: "read:organizations",
      });
    }
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    return options.api ? options.api(request, token) : json(200, org);
  });
  return {
    ...fake,
    tokenRequests: () => fake.requests.filter((r) => r.url.pathname.endsWith("/token")),
    tokensUsed: () => fake.apiRequests().map((r) => r.headers.get("authorization")),
  };
}

const getOrg = (client: ReturnType<typeof createManagementClient>) => client.GET("/organizations/{id}", { params: { path: { id: ORG } } });

afterEach(() => {
  vi.useRealTimers();
});

describe("client credentials", () => {
  it("exchanges the client id and secret at https://{domain}/oauth/token for the tenant's API audience", async () => {
    const t = tenant();
    const client = createManagementClient({ domain: "acme.eu.auth0.com", clientId: "abc123", clientSecret: CLIENT_SECRET, fetch: t.fetch });
    const { data } = await getOrg(client);
    expect(data).toEqual(org);
    const [tokenRequest] = t.tokenRequests();
    expect(tokenRequest?.method).toBe("POST");
    expect(tokenRequest?.url.href).toBe("https://acme.eu.auth0.com/oauth/token");
    expect(tokenRequest?.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(tokenRequest?.body ?? "")).toEqual({
      grant_type: "client_credentials",
      client_id: "abc123",
      client_secret: CLIENT_SECRET,
      audience: "https://acme.eu.auth0.com/api/v2/",
    });
    expect(t.tokensUsed()).toEqual([`Bearer ${fakeJwt("token-1")}`]);
  });

  it("derives the token URL from a baseUrl's origin, and takes an explicit tokenUrl and audience", async () => {
    const t = tenant();
    const local = createManagementClient({ baseUrl: "http://127.0.0.1:8787/api/v2", clientId: "abc", clientSecret: CLIENT_SECRET, fetch: t.fetch });
    await getOrg(local);
    expect(t.tokenRequests()[0]?.url.href).toBe("http://127.0.0.1:8787/oauth/token");
    expect(JSON.parse(t.tokenRequests()[0]?.body ?? "").audience).toBe("http://127.0.0.1:8787/api/v2/");

    const custom = createManagementClient({
      baseUrl: "https://login.acme.com/api/v2",
      clientId: "abc",
      clientSecret: CLIENT_SECRET,
      audience: "https://acme.eu.auth0.com/api/v2/",
      tokenUrl: "https://login.acme.com/custom/token",
      fetch: t.fetch,
    });
    await getOrg(custom);
    expect(t.tokenRequests()[1]?.url.href).toBe("https://login.acme.com/custom/token");
    expect(JSON.parse(t.tokenRequests()[1]?.body ?? "").audience).toBe("https://acme.eu.auth0.com/api/v2/");
  });

  it("reuses the token until shortly before it expires, then fetches a new one", async () => {
    vi.useFakeTimers({ now: new Date("2025-01-01T00:00:00Z") });
    const t = tenant({ expiresIn: 3600 });
    const client = createManagementClient({ domain: "acme.auth0.com", clientId: "abc", clientSecret: CLIENT_SECRET, fetch: t.fetch });
    await getOrg(client);
    await getOrg(client);
    vi.setSystemTime(new Date("2025-01-01T00:58:59Z")); // 61 s before expiry: still good
    await getOrg(client);
    expect(t.tokenRequests()).toHaveLength(1);
    vi.setSystemTime(new Date("2025-01-01T00:59:01Z")); // inside the last minute: refresh
    await getOrg(client);
    expect(t.tokenRequests()).toHaveLength(2);
    expect(t.tokensUsed()).toEqual([1, 1, 1, 2].map((n) => `Bearer ${fakeJwt(`token-${n}`)}`));
  });

  it("hands the cached token out through getAccessToken() for calls made elsewhere", async () => {
    const t = tenant();
    const client = createManagementClient({ domain: "acme.auth0.com", clientId: "abc", clientSecret: CLIENT_SECRET, fetch: t.fetch });
    const [first, second] = await Promise.all([client.getAccessToken(), client.getAccessToken()]);
    expect(first).toBe(fakeJwt("token-1"));
    expect(second).toBe(first);
    await getOrg(client);
    expect(t.tokenRequests()).toHaveLength(1);
  });

  it("shares one token request among concurrent calls", async () => {
    const t = tenant();
    const client = createManagementClient({ domain: "acme.auth0.com", clientId: "abc", clientSecret: CLIENT_SECRET, fetch: t.fetch });
    const results = await Promise.all(Array.from({ length: 8 }, () => getOrg(client)));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(t.tokenRequests()).toHaveLength(1);
    expect(new Set(t.tokensUsed())).toEqual(new Set([`Bearer ${fakeJwt("token-1")}`]));
  });

  it("after a 401 'Invalid token.' refreshes once and repeats the request, for every concurrent caller", async () => {
    const t = tenant({
      api: (_r, token) => (token === fakeJwt("token-1") ? auth0Error(401, "Unauthorized", "Invalid token.") : json(200, org)),
    });
    const client = createManagementClient({ domain: "acme.auth0.com", clientId: "abc", clientSecret: CLIENT_SECRET, fetch: t.fetch });
    const results = await Promise.all([getOrg(client), getOrg(client), getOrg(client)]);
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200]);
    // One refresh for everyone: a 401 for a token that was already replaced does not drop the new one.
    expect(t.tokenRequests()).toHaveLength(2);
  });

  it("does not drop a fresh token when a late 401 for the old one arrives", async () => {
    let freshTokenIssued: () => void = () => {};
    const issuedAgain = new Promise<void>((resolve) => (freshTokenIssued = resolve));
    let stale = 0;
    const t = tenant({
      api: (_r, token) => {
        if (token !== fakeJwt("token-1")) {
          if (token === fakeJwt("token-2")) freshTokenIssued();
          return json(200, org);
        }
        stale += 1;
        // The second caller's 401 is held back until the first caller has already refreshed.
        return stale === 1 ? auth0Error(401, "Unauthorized", "Invalid token.") : issuedAgain.then(() => auth0Error(401, "Unauthorized", "Invalid token."));
      },
    });
    const client = createManagementClient({ domain: "acme.auth0.com", clientId: "abc", clientSecret: CLIENT_SECRET, fetch: t.fetch });
    const results = await Promise.all([getOrg(client), getOrg(client)]);
    expect(results.map((r) => r.response.status)).toEqual([200, 200]);
    expect(t.tokenRequests()).toHaveLength(2);
  });

  it("does not refresh more than once per request when the new token is refused too", async () => {
    const t = tenant({ api: () => auth0Error(401, "Unauthorized", "Invalid token.") });
    const client = createManagementClient({ domain: "acme.auth0.com", clientId: "abc", clientSecret: CLIENT_SECRET, fetch: t.fetch });
    const { error, response } = await getOrg(client);
    expect(response.status).toBe(401);
    expect(error?.message).toBe("Invalid token.");
    expect(t.apiRequests()).toHaveLength(2);
    expect(t.tokenRequests()).toHaveLength(2);
  });

  it("does not refresh on other 401s, which a new token would not cure", async () => {
    const t = tenant({ api: () => auth0Error(401, "Unauthorized", "Invalid signature received for JSON Web Token validation.") });
    const client = createManagementClient({ domain: "acme.auth0.com", clientId: "abc", clientSecret: CLIENT_SECRET, fetch: t.fetch });
    expect((await getOrg(client)).response.status).toBe(401);
    expect(t.apiRequests()).toHaveLength(1);
    expect(t.tokenRequests()).toHaveLength(1);
  });

  it("repeats a POST after refreshing: a 401 means it was not applied", async () => {
    const t = tenant({
      api: (_r, token) => (token === fakeJwt("token-1") ? auth0Error(401, "Unauthorized", "Invalid token.") : json(201, org)),
    });
    const events: RetryEvent[] = [];
    const client = createManagementClient({
      domain: "acme.auth0.com",
      clientId: "abc",
      clientSecret: CLIENT_SECRET,
      fetch: t.fetch,
      onRetry: (e) => events.push(e),
    });
    const { data } = await client.POST("/organizations", { body: { name: "acme" } });
    expect(data).toEqual(org);
    expect(events).toEqual([{ method: "POST", path: "/api/v2/organizations", retry: 1, delayMs: 0, reason: "token_refresh", status: 401 }]);
    expect(t.apiRequests().map((r) => r.body)).toEqual(['{"name":"acme"}', '{"name":"acme"}']);
  });

  it("rejects with a ManagementApiError that never contains the secret when the token endpoint refuses", async () => {
    const t = tenant({
      tokenAnswer: () => json(401, { error: "access_denied", error_description: `Unauthorized (client_secret ${CLIENT_SECRET} is wrong)` }),
    });
    const client = createManagementClient({ domain: "acme.auth0.com", clientId: "abc", clientSecret: CLIENT_SECRET, fetch: t.fetch });
    const failure = await getOrg(client).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ManagementApiError);
    expect(failure).toMatchObject({ statusCode: 401, errorCode: "access_denied", method: "POST", path: "/oauth/token" });
    expect((failure as ManagementApiError).detail).toBe("Unauthorized (client_secret [REDACTED] is wrong)");
    expect((failure as Error).message).toBe("POST /oauth/token answered 401 Unauthorized (access_denied): Unauthorized (client_secret [REDACTED] is wrong)");
    expect(JSON.stringify(failure) + String(failure) + (failure as Error).stack).not.toContain(CLIENT_SECRET);
    expect(t.apiRequests()).toHaveLength(0);
  });
});

describe("tokens given by the caller", () => {
  it("sends a static token and does not retry its 401s", async () => {
    const token = fakeJwt("static");
    const api = fakeFetch(() => auth0Error(401, "Unauthorized", "Invalid token."));
    const client = createManagementClient({ domain: "acme.auth0.com", token, fetch: api.fetch });
    expect((await getOrg(client)).response.status).toBe(401);
    expect(api.requests).toHaveLength(1);
  });

  it("asks a token function before each request, and asks with forceRefresh after 'Invalid token.'", async () => {
    const calls: boolean[] = [];
    const token = vi.fn(async ({ forceRefresh }: { forceRefresh: boolean }) => {
      calls.push(forceRefresh);
      return fakeJwt(forceRefresh ? "fresh" : "stale");
    });
    const api = fakeFetch((r) =>
      r.headers.get("authorization") === `Bearer ${fakeJwt("stale")}` ? auth0Error(401, "Unauthorized", "Invalid token.") : json(200, org),
    );
    const client = createManagementClient({ domain: "acme.auth0.com", token, fetch: api.fetch });
    expect((await getOrg(client)).data).toEqual(org);
    expect(calls).toEqual([false, true]);
  });
});
