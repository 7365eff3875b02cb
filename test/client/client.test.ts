/** The client's basic contract: where it sends requests, what it sends, and what callers get back. */
import { describe, expect, it, vi } from "vitest";
import { ManagementApiError, createManagementClient } from "../../src/client/index.js";
import { CON, ORG, auth0Error, fakeFetch, fakeJwt, json } from "./fake-fetch.js";

const TOKEN = fakeJwt("static");

const linkBody = {
  connection_id: CON,
  assign_membership_on_login: false,
  show_as_button: true,
  is_enabled: true,
  organization_access_level: "none",
  connection: { name: "Username-Password-Authentication", strategy: "auth0" },
};

describe("createManagementClient", () => {
  it("sends typed calls to https://{domain}/api/v2 with the bearer token and a JSON body", async () => {
    const api = fakeFetch(() => json(201, linkBody));
    const client = createManagementClient({ domain: "tenant.eu.auth0.com", token: TOKEN, fetch: api.fetch });
    const { data, error, response } = await client.POST("/organizations/{id}/connections", {
      params: { path: { id: ORG } },
      body: { connection_id: CON, is_enabled: true },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(201);
    expect(data).toEqual(linkBody);
    const [sent] = api.requests;
    expect(sent?.method).toBe("POST");
    expect(sent?.url.href).toBe(`https://tenant.eu.auth0.com/api/v2/organizations/${ORG}/connections`);
    expect(sent?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(sent?.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(sent?.body ?? "")).toEqual({ connection_id: CON, is_enabled: true });
  });

  it("serializes query parameters and honours a baseUrl", async () => {
    const api = fakeFetch(() => json(200, []));
    const client = createManagementClient({ baseUrl: "http://127.0.0.1:8787/api/v2/", token: TOKEN, fetch: api.fetch });
    expect(client.baseUrl).toBe("http://127.0.0.1:8787/api/v2");
    await client.GET("/organizations/{id}/connections", { params: { path: { id: ORG }, query: { is_enabled: false, per_page: 5 } } });
    expect(api.requests[0]?.url.href).toBe(`http://127.0.0.1:8787/api/v2/organizations/${ORG}/connections?is_enabled=false&per_page=5`);
  });

  it("sends extra headers but never lets them replace the Authorization header", async () => {
    const api = fakeFetch(() => json(200, { id: ORG, name: "acme" }));
    const client = createManagementClient({
      domain: "t.auth0.com",
      token: TOKEN,
      fetch: api.fetch,
      headers: { "user-agent": "my-app/1.0", authorization: "Bearer nope" },
    });
    await client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    expect(api.requests[0]?.headers.get("user-agent")).toBe("my-app/1.0");
    expect(api.requests[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });

  it("refuses unusable options with a clear message", () => {
    const fetch = fakeFetch(() => json(200, {})).fetch;
    expect(() => createManagementClient({ token: TOKEN, fetch } as never)).toThrow(/Give `domain`/);
    expect(() => createManagementClient({ domain: "https://tenant.auth0.com", token: TOKEN, fetch })).toThrow(/`domain` must be a host name/);
    expect(() => createManagementClient({ baseUrl: "not a url", token: TOKEN, fetch })).toThrow(/`baseUrl` must be an absolute URL/);
    expect(() => createManagementClient({ domain: "t.auth0.com", fetch } as never)).toThrow(/Give `token`, or both `clientId` and `clientSecret`/);
    expect(() => createManagementClient({ domain: "t.auth0.com", token: "", fetch })).toThrow(/gave no token/);
    expect(() => createManagementClient({ domain: "t.auth0.com", token: TOKEN, timeoutMs: 0, fetch })).toThrow(/timeoutMs/);
    expect(() => createManagementClient({ domain: "t.auth0.com", token: TOKEN, retry: { maxRetries: -1 }, fetch })).toThrow(/retry.maxRetries/);
  });
});

describe("results and errors", () => {
  it("keeps openapi-fetch's { data, error, response } for callers who branch themselves", async () => {
    const api = fakeFetch(() => auth0Error(404, "Not Found", "No organization found by that id or name"));
    const client = createManagementClient({ domain: "t.auth0.com", token: TOKEN, fetch: api.fetch });
    const { data, error, response } = await client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toEqual({ statusCode: 404, error: "Not Found", message: "No organization found by that id or name" });
  });

  it("unwrap() returns the data of a success, including the empty one of a 204", async () => {
    const api = fakeFetch((r) =>
      r.method === "DELETE" ? new Response(null, { status: 204, headers: { "content-type": "application/json" } }) : json(200, linkBody),
    );
    const client = createManagementClient({ domain: "t.auth0.com", token: TOKEN, fetch: api.fetch });
    const link = await client.unwrap(client.GET("/organizations/{id}/connections/{connection_id}", { params: { path: { id: ORG, connection_id: CON } } }));
    expect(link.organization_access_level).toBe("none");
    await expect(
      client.unwrap(client.DELETE("/organizations/{id}/connections/{connection_id}", { params: { path: { id: ORG, connection_id: CON } } })),
    ).resolves.toBeUndefined();
  });

  it("unwrap() throws a ManagementApiError with Auth0's fields, the rate limit and the request", async () => {
    const api = fakeFetch(() =>
      auth0Error(403, "Forbidden", "Insufficient scope, expected any of: read:organization_connections", "insufficient_scope", {
        "x-ratelimit-limit": "50",
        "x-ratelimit-remaining": "12",
        "x-ratelimit-reset": "1700000123",
      }),
    );
    const client = createManagementClient({ domain: "t.auth0.com", token: TOKEN, fetch: api.fetch });
    const failure = await client.unwrap(client.GET("/organizations/{id}/connections", { params: { path: { id: ORG } } })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ManagementApiError);
    const error = failure as ManagementApiError;
    expect(error).toMatchObject({
      name: "ManagementApiError",
      statusCode: 403,
      error: "Forbidden",
      detail: "Insufficient scope, expected any of: read:organization_connections",
      errorCode: "insufficient_scope",
      rateLimit: { limit: 50, remaining: 12, reset: 1700000123 },
      method: "GET",
      path: `/api/v2/organizations/${ORG}/connections`,
    });
    expect(String(error)).toBe(
      `ManagementApiError: GET /api/v2/organizations/${ORG}/connections answered 403 Forbidden (insufficient_scope): Insufficient scope, expected any of: read:organization_connections`,
    );
  });

  it("describes errors whose body is empty or not JSON (openapi-fetch gives error: undefined or text)", async () => {
    const answers = [
      new Response(null, { status: 502, statusText: "Bad Gateway" }),
      new Response("<html>upstream timed out</html>", { status: 503, headers: { "content-type": "text/html" } }),
      new Response(JSON.stringify({ unexpected: true }), { status: 500 }),
    ];
    const api = fakeFetch((_r, i) => answers[i] ?? json(200, {}));
    const client = createManagementClient({ domain: "t.auth0.com", token: TOKEN, fetch: api.fetch, retry: { maxRetries: 0 } });
    const call = () => client.GET("/organizations/{id}", { params: { path: { id: ORG } } });

    const empty = await call();
    expect(empty.error).toBeUndefined();
    expect(empty.response.ok).toBe(false);
    expect(client.errorOf(empty)).toMatchObject({
      statusCode: 502,
      error: "Bad Gateway",
      detail: "The server answered 502 Bad Gateway with an empty body.",
      errorCode: undefined,
    });

    const html = await client.unwrap(call()).catch((e: unknown) => e);
    expect(html).toMatchObject({ statusCode: 503, error: "Service Unavailable", detail: "<html>upstream timed out</html>" });

    const odd = await client.unwrap(call()).catch((e: unknown) => e);
    expect(odd).toMatchObject({ statusCode: 500, error: "Internal Server Error", detail: '{"unexpected":true}' });
  });

  it("says in the error's message which request failed and how, so a failing test shows it (issue 21)", async () => {
    const api = fakeFetch(() => auth0Error(403, "Forbidden", "Insufficient scope, expected any of: create:organizations", "insufficient_scope"));
    const client = createManagementClient({ domain: "t.auth0.com", token: TOKEN, fetch: api.fetch });
    const failure = (await client.unwrap(client.POST("/organizations", { body: { name: "acme" } })).catch((e: unknown) => e)) as ManagementApiError;
    expect(failure.message).toBe(
      "POST /api/v2/organizations answered 403 Forbidden (insufficient_scope): Insufficient scope, expected any of: create:organizations",
    );
    expect(failure.detail).toBe("Insufficient scope, expected any of: create:organizations");
    expect(String(failure)).toBe(`ManagementApiError: ${failure.message}`);
  });

  it("exposes the latest rate-limit figures", async () => {
    let remaining = 10;
    const api = fakeFetch(() =>
      json(200, { id: ORG, name: "acme" }, { "x-ratelimit-limit": "10", "x-ratelimit-remaining": String(--remaining), "x-ratelimit-reset": "1700000500" }),
    );
    const client = createManagementClient({ domain: "t.auth0.com", token: TOKEN, fetch: api.fetch });
    expect(client.rateLimit).toBeUndefined();
    await client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    await client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    expect(client.rateLimit).toEqual({ limit: 10, remaining: 8, reset: 1700000500 });
  });
});

describe("caller middleware", () => {
  it("runs outside the client's own: sees no token, keeps its changes on retries, and sees the final answer", async () => {
    vi.useFakeTimers();
    try {
      const api = fakeFetch((_r, i) => (i === 0 ? auth0Error(503, "Service Unavailable", "busy") : json(200, { id: ORG, name: "acme" })));
      const client = createManagementClient({ domain: "t.auth0.com", token: TOKEN, fetch: api.fetch });
      const seen: { authorization: string | null; status?: number }[] = [];
      client.use({
        onRequest({ request }) {
          seen.push({ authorization: request.headers.get("authorization") });
          request.headers.set("x-request-id", "abc");
        },
        onResponse({ response }) {
          seen.push({ authorization: null, status: response.status });
        },
      });
      const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
      await vi.runAllTimersAsync();
      expect((await pending).response.status).toBe(200);
      expect(seen).toEqual([{ authorization: null }, { authorization: null, status: 200 }]);
      expect(api.requests.map((r) => [r.headers.get("x-request-id"), r.headers.get("authorization")])).toEqual([
        ["abc", `Bearer ${TOKEN}`],
        ["abc", `Bearer ${TOKEN}`],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
