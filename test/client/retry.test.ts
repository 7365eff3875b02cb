/** Rate limits, transient failures and timeouts — all on fake timers, so nothing here really sleeps. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createManagementClient, type RetryEvent } from "../../src/client/index.js";
import { ORG, auth0Error, fakeFetch, fakeJwt, json, type Handler } from "./fake-fetch.js";

const TOKEN = fakeJwt("retry");
const NOW_S = 1_750_000_000;
const org = { id: ORG, name: "acme" };

const tooManyRequests = (headers: Record<string, string>) =>
  auth0Error(429, "Too Many Requests", "Global limit has been reached", "too_many_requests", {
    "x-ratelimit-limit": "50",
    "x-ratelimit-remaining": "0",
    ...headers,
  });

function setup(handler: Handler, options: Partial<Parameters<typeof createManagementClient>[0]> = {}) {
  const api = fakeFetch(handler);
  const events: RetryEvent[] = [];
  const client = createManagementClient({
    domain: "acme.auth0.com",
    token: TOKEN,
    fetch: api.fetch,
    onRetry: (e) => events.push(e),
    ...(options as object),
  });
  return { api, client, events };
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW_S * 1000 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("429 Too Many Requests", () => {
  it("waits until x-ratelimit-reset, then repeats the request and returns its answer", async () => {
    const { api, client, events } = setup((_r, i) => (i === 0 ? tooManyRequests({ "x-ratelimit-reset": String(NOW_S + 5) }) : json(200, org)));
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } });

    await vi.advanceTimersByTimeAsync(4_999);
    expect(api.requests).toHaveLength(1); // not a moment before the window resets
    await vi.advanceTimersByTimeAsync(1_001); // the reset plus the largest jitter (1 s)
    expect(api.requests).toHaveLength(2);

    const { data, response } = await pending;
    expect(response.status).toBe(200);
    expect(data).toEqual(org);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ method: "GET", path: `/api/v2/organizations/${ORG}`, retry: 1, reason: "rate_limited", status: 429 });
    expect(events[0]?.delayMs).toBeGreaterThanOrEqual(5_000);
    expect(events[0]?.delayMs).toBeLessThanOrEqual(6_000);
    expect(client.rateLimit?.remaining).toBe(0);
  });

  it("adds jitter on top of the server's wait", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const { events, client } = setup((_r, i) => (i === 0 ? tooManyRequests({ "x-ratelimit-reset": String(NOW_S + 2) }) : json(200, org)));
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    await vi.runAllTimersAsync();
    await pending;
    expect(events[0]?.delayMs).toBe(2_500);
  });

  it("honours Retry-After before x-ratelimit-reset", async () => {
    const { api, client } = setup((_r, i) => (i === 0 ? tooManyRequests({ "retry-after": "2", "x-ratelimit-reset": String(NOW_S + 20) }) : json(200, org)));
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(api.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_001);
    expect(api.requests).toHaveLength(2);
    expect((await pending).response.status).toBe(200);
  });

  it("repeats a POST with the same body: a 429 means it was not applied", async () => {
    const { api, client } = setup((_r, i) => (i < 2 ? tooManyRequests({ "x-ratelimit-reset": String(NOW_S + 1) }) : json(201, org)));
    const pending = client.POST("/organizations", { body: { name: "acme", display_name: "Acme" } });
    await vi.runAllTimersAsync();
    expect((await pending).response.status).toBe(201);
    expect(api.requests.map((r) => r.body)).toEqual(Array(3).fill('{"name":"acme","display_name":"Acme"}'));
  });

  it("stops after maxRetries and hands back the last 429", async () => {
    const { api, client, events } = setup(() => tooManyRequests({ "x-ratelimit-reset": String(NOW_S + 1) }), { retry: { maxRetries: 2 } });
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    await vi.runAllTimersAsync();
    const { error, response } = await pending;
    expect(response.status).toBe(429);
    expect(error?.errorCode).toBe("too_many_requests");
    expect(api.requests).toHaveLength(3);
    expect(events.map((e) => e.retry)).toEqual([1, 2]);
  });

  it("gives up at once when the server asks for a longer wait than maxDelayMs", async () => {
    const { api, client } = setup(() => tooManyRequests({ "x-ratelimit-reset": String(NOW_S + 120) }), { retry: { maxDelayMs: 30_000 } });
    const failure = await client.unwrap(client.GET("/organizations/{id}", { params: { path: { id: ORG } } })).catch((e: unknown) => e);
    expect(api.requests).toHaveLength(1);
    expect(failure).toMatchObject({ statusCode: 429, rateLimit: { limit: 50, remaining: 0, reset: NOW_S + 120 } });
  });

  it("backs off exponentially (capped) when the 429 says nothing about when to come back", async () => {
    vi.spyOn(Math, "random").mockReturnValue(1);
    const { client, events } = setup(() => tooManyRequests({}), { retry: { maxRetries: 3, baseDelayMs: 1_000, maxDelayMs: 3_000 } });
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    await vi.runAllTimersAsync();
    await pending;
    expect(events.map((e) => e.delayMs)).toEqual([1_000, 2_000, 3_000]);
  });
});

describe("server and network errors", () => {
  it("retries a GET after a 503 with backoff", async () => {
    const { api, client, events } = setup((_r, i) => (i === 0 ? auth0Error(503, "Service Unavailable", "try again") : json(200, org)));
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    await vi.runAllTimersAsync();
    expect((await pending).response.status).toBe(200);
    expect(api.requests).toHaveLength(2);
    expect(events[0]).toMatchObject({ reason: "server_error", status: 503 });
  });

  it("waits the backoff after a 503, not until x-ratelimit-reset: a 5xx is not a rate limit (issue 21)", async () => {
    // What the emulator's injected 503 carried: a full budget, and a window that resets 2 s later.
    const unavailable = () =>
      auth0Error(503, "Service Unavailable", "try again", undefined, {
        "x-ratelimit-limit": "100000",
        "x-ratelimit-remaining": "100000",
        "x-ratelimit-reset": String(NOW_S + 2),
      });
    const { client, events } = setup((_r, i) => (i === 0 ? unavailable() : json(200, org)), { retry: { baseDelayMs: 10, jitterMs: 0 } });
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    await vi.runAllTimersAsync();
    expect((await pending).response.status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]!.delayMs).toBeLessThanOrEqual(10);
  });

  it("follows Retry-After on a 503 when the server sends one", async () => {
    const unavailable = () => auth0Error(503, "Service Unavailable", "try again", undefined, { "retry-after": "3", "x-ratelimit-reset": String(NOW_S + 20) });
    const { client, events } = setup((_r, i) => (i === 0 ? unavailable() : json(200, org)), { retry: { baseDelayMs: 10, jitterMs: 0 } });
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    await vi.runAllTimersAsync();
    expect((await pending).response.status).toBe(200);
    expect(events[0]!.delayMs).toBe(3_000);
  });

  it("does not repeat a POST after a 5xx: it may have been applied", async () => {
    const { api, client } = setup(() => auth0Error(503, "Service Unavailable", "try again"));
    const pending = client.POST("/organizations", { body: { name: "acme" } });
    await vi.runAllTimersAsync();
    expect((await pending).response.status).toBe(503);
    expect(api.requests).toHaveLength(1);
  });

  it("does not repeat a PATCH after a 5xx unless PATCH is listed in retryMethods", async () => {
    const patch = (client: ReturnType<typeof setup>["client"]) =>
      client.PATCH("/organizations/{id}/enabled_connections/{connectionId}", {
        params: { path: { id: ORG, connectionId: "con_1" } },
        body: { show_as_button: false },
      });
    const first = setup(() => auth0Error(500, "Internal Server Error", "oops"));
    const p1 = patch(first.client);
    await vi.runAllTimersAsync();
    await p1;
    expect(first.api.requests).toHaveLength(1);

    const second = setup((_r, i) => (i === 0 ? auth0Error(500, "Internal Server Error", "oops") : json(200, {})), {
      retry: { retryMethods: ["GET", "DELETE", "PATCH"] },
    });
    const p2 = patch(second.client);
    await vi.runAllTimersAsync();
    expect((await p2).response.status).toBe(200);
    expect(second.api.requests).toHaveLength(2);
  });

  it("retries a DELETE after a network error, but a POST's network error reaches the caller", async () => {
    const networkFailure = () => Promise.reject(new TypeError("fetch failed"));
    const del = setup((_r, i) => (i === 0 ? networkFailure() : new Response(null, { status: 204 })));
    const p1 = del.client.DELETE("/organizations/{id}", { params: { path: { id: ORG } } });
    await vi.runAllTimersAsync();
    expect((await p1).response.status).toBe(204);
    expect(del.events[0]).toMatchObject({ reason: "network_error" });

    const post = setup(networkFailure);
    const p2 = post.client.POST("/organizations", { body: { name: "acme" } }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const failure = await p2;
    // Still a TypeError (what fetch fails with), now naming the request and keeping the original as its cause.
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure).toMatchObject({
      name: "ManagementNetworkError",
      message: "POST https://acme.auth0.com/api/v2/organizations failed: fetch failed",
      method: "POST",
      attempts: 1,
    });
    expect((failure as Error).cause).toMatchObject({ name: "TypeError", message: "fetch failed" });
    expect(post.api.requests).toHaveLength(1);
  });

  it("does not retry other 4xx answers", async () => {
    const { api, client } = setup(() => auth0Error(404, "Not Found", "No organization found by that id or name"));
    await client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    expect(api.requests).toHaveLength(1);
  });
});

describe("timeouts and cancellation", () => {
  const hang = () => new Promise<Response>(() => {}); // a server that never answers (and a fetch that ignores aborts)

  it("fails a request that takes longer than timeoutMs with a TimeoutError", async () => {
    const { client } = setup(hang, { timeoutMs: 2_000, retry: { maxRetries: 0 } });
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_999);
    await vi.advanceTimersByTimeAsync(1);
    const failure = await pending;
    expect(failure).toBeInstanceOf(DOMException);
    expect(failure).toMatchObject({ name: "TimeoutError", message: `GET /api/v2/organizations/${ORG} timed out after 2000 ms` });
  });

  it("aborts the request's signal when the time is up, so a real fetch stops too", async () => {
    const { api, client } = setup(hang, { timeoutMs: 1_000, retry: { maxRetries: 0 } });
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } }).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(1_000);
    await pending;
    expect(api.requests[0]?.signal.aborted).toBe(true);
  });

  it("counts a timeout of an idempotent request as retryable, with a fresh deadline per attempt", async () => {
    const { api, client, events } = setup((_r, i) => (i === 0 ? hang() : json(200, org)), { timeoutMs: 1_000 });
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    await vi.runAllTimersAsync();
    expect((await pending).response.status).toBe(200);
    expect(api.requests).toHaveLength(2);
    expect(events[0]?.reason).toBe("timeout");
  });

  it("stops waiting between retries when the caller aborts", async () => {
    const { api, client } = setup(() => tooManyRequests({ "x-ratelimit-reset": String(NOW_S + 10) }));
    const controller = new AbortController();
    const pending = client.GET("/organizations/{id}", { params: { path: { id: ORG } }, signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    expect(await pending).toMatchObject({ name: "AbortError" });
    await vi.runAllTimersAsync();
    expect(api.requests).toHaveLength(1);
  });
});
