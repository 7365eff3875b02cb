/**
 * The client's secrets and its errors (issue 13): no redirect on the token request, redaction of escaped and
 * form-encoded echoes, network failures that name the request, errors that say why retrying stopped, and one
 * rate-limit budget shared by concurrent calls.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createEmulator } from "../../src/emulator/index.js";
import { createManagementClient, ManagementApiError, ManagementNetworkError, type RetryEvent } from "../../src/client/index.js";
import { ORG, auth0Error, fakeFetch, fakeJwt, json, rejectionOf } from "./fake-fetch.js";

const TOKEN = fakeJwt("secure");
const servers: Server[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function listen(
  handler: (request: IncomingMessage, body: string) => { status: number; headers?: Record<string, string>; body?: string },
): Promise<string> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += String(chunk)));
    request.on("end", () => {
      const answer = handler(request, body);
      response.writeHead(answer.status, answer.headers).end(answer.body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("the token request", () => {
  it("never follows a redirect, so the client secret does not go to another origin", async () => {
    const secret = "client-secret-that-must-stay-home";
    const stolen: string[] = [];
    const elsewhere = await listen((_request, body) => {
      stolen.push(body);
      return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ access_token: TOKEN, expires_in: 60 }) };
    });
    const tenant = await listen(() => ({ status: 307, headers: { location: `${elsewhere}/oauth/token` } }));
    const client = createManagementClient({ baseUrl: `${tenant}/api/v2`, clientId: "app", clientSecret: secret, retry: { maxRetries: 0 } });
    const failure = await rejectionOf(client.GET("/organizations/{id}", { params: { path: { id: ORG } } }));
    expect(failure.message).toMatch(/answered 307; the client does not follow redirects on the token request/);
    expect(failure.message).not.toContain(secret);
    expect(stolen).toEqual([]);
  });
});

describe("redaction", () => {
  const SECRET = 'se"cr\\et with spaces & symbols=+/%';

  it.each([
    ["JSON-escaped in an echoed JSON body", (body: string) => json(400, { received: JSON.parse(body) as unknown })],
    [
      "form-encoded in an echoed text body",
      (body: string) => new Response(`received ${new URLSearchParams(JSON.parse(body) as Record<string, string>).toString()}`, { status: 400 }),
    ],
    [
      "percent-encoded in a URL",
      (body: string) => new Response(`see /debug?secret=${encodeURIComponent((JSON.parse(body) as { client_secret: string }).client_secret)}`, { status: 400 }),
    ],
  ])("covers a secret %s", async (_label, echo) => {
    const api = fakeFetch((r) => echo(r.body));
    const client = createManagementClient({ domain: "acme.auth0.com", clientId: "app", clientSecret: SECRET, fetch: api.fetch });
    const failure = await rejectionOf(client.GET("/organizations/{id}", { params: { path: { id: ORG } } }));
    expect(failure.message).toContain("[REDACTED]");
    for (const spelling of [SECRET, JSON.stringify(SECRET).slice(1, -1), new URLSearchParams({ s: SECRET }).toString().slice(2), encodeURIComponent(SECRET)]) {
      expect(failure.message).not.toContain(spelling);
    }
  });
});

describe("network failures", () => {
  async function closedPort(): Promise<string> {
    const origin = await listen(() => ({ status: 200 }));
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    return origin;
  }

  it("name the method and URL, keep the cause, and say how many attempts were made", async () => {
    const origin = await closedPort();
    const client = createManagementClient({ baseUrl: `${origin}/api/v2`, token: TOKEN, retry: { maxRetries: 2, baseDelayMs: 1 } });
    const failure = await rejectionOf(client.GET("/organizations/{id}", { params: { path: { id: ORG } } }));
    expect(failure).toBeInstanceOf(ManagementNetworkError);
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure.message).toBe(
      `GET ${origin}/api/v2/organizations/${ORG} failed: fetch failed (ECONNREFUSED) (after 3 attempts: retries exhausted (maxRetries 2))`,
    );
    expect(failure.cause).toBeInstanceOf(TypeError);
    expect(failure).toMatchObject({ method: "GET", attempts: 3, stoppedBecause: "retries_exhausted" });
  });

  it("of the token request name it too, without the secret", async () => {
    const origin = await closedPort();
    const secret = "a-client-secret-0123456789";
    const client = createManagementClient({ baseUrl: `${origin}/api/v2`, clientId: "app", clientSecret: secret });
    const failure = await rejectionOf(client.GET("/organizations/{id}", { params: { path: { id: ORG } } }));
    expect(failure.message).toBe(`POST ${origin}/oauth/token failed: fetch failed (ECONNREFUSED)`);
    expect(JSON.stringify({ ...failure, message: failure.message })).not.toContain(secret);
  });
});

describe("errors after retries", () => {
  const NOW_S = 1_750_000_000;
  const tooMany = (resetInS: number) =>
    auth0Error(429, "Too Many Requests", "Global limit has been reached", "too_many_requests", {
      "x-ratelimit-limit": "50",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(NOW_S + resetInS),
    });

  it("say how many attempts were made and that the retries ran out", async () => {
    vi.useFakeTimers({ now: NOW_S * 1000 });
    const api = fakeFetch(() => tooMany(1));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch, retry: { maxRetries: 2 } });
    const pending = rejectionOf(client.unwrap(client.GET("/organizations/{id}", { params: { path: { id: ORG } } })));
    await vi.runAllTimersAsync();
    const failure = await pending;
    expect(failure).toBeInstanceOf(ManagementApiError);
    expect((failure as ManagementApiError).detail).toBe("Global limit has been reached");
    expect(failure.message).toMatch(/: Global limit has been reached \(after 3 attempts: retries exhausted \(maxRetries 2\)\)$/);
    expect(failure).toMatchObject({ statusCode: 429, attempts: 3, stoppedBecause: "retries_exhausted" });
  });

  it("say when the wait asked for would exceed maxDelayMs", async () => {
    vi.useFakeTimers({ now: NOW_S * 1000 });
    const api = fakeFetch(() => tooMany(60));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch, retry: { maxDelayMs: 30_000 } });
    const failure = await rejectionOf(client.unwrap(client.GET("/organizations/{id}", { params: { path: { id: ORG } } })));
    expect(failure.message).toMatch(/: Global limit has been reached \(after 1 attempt: the server asked to wait 60000 ms, more than maxDelayMs 30000\)$/);
    expect(failure).toMatchObject({ attempts: 1, stoppedBecause: "wait_exceeds_max_delay" });
    expect(api.requests).toHaveLength(1);
  });
});

describe("one rate-limit budget per client", () => {
  it("8 concurrent GETs against the emulator at 2 requests per second all succeed, each retried at most once", async () => {
    const emulator = createEmulator({ rateLimit: { limit: 2, windowMs: 1_000 }, seed: { organizations: [{ id: ORG, name: "acme" }] } });
    const events: RetryEvent[] = [];
    const client = createManagementClient({
      baseUrl: "http://emulator.local/api/v2",
      token: await emulator.issueToken(),
      fetch: emulator.fetch,
      onRetry: (e) => events.push(e),
    });
    const results = await Promise.all(Array.from({ length: 8 }, () => client.GET("/organizations/{id}", { params: { path: { id: ORG } } })));
    expect(results.map((r) => r.response.status)).toEqual(Array(8).fill(200));
    // Without a shared budget, calls woken by the same reset retry together and most are refused again.
    const retriesPerCall = events.filter((e) => e.retry > 1);
    expect(retriesPerCall).toEqual([]);
  }, 20_000);

  it("queues a call while the window's budget is spent, but never longer than maxDelayMs", async () => {
    const NOW_S = 1_750_000_000;
    vi.useFakeTimers({ now: NOW_S * 1000 });
    const spent = (resetInS: number) => ({ "x-ratelimit-limit": "2", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW_S + resetInS) });
    let resetInS = 5;
    const api = fakeFetch(() => json(200, { id: ORG, name: "acme" }, spent(resetInS)));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch, retry: { maxDelayMs: 30_000 } });
    const get = () => client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    await get();
    // The budget is spent until the reset in 5 s: the next call waits for it instead of drawing a 429.
    const queued = get();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(api.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await queued).response.status).toBe(200);
    expect(api.requests).toHaveLength(2);
    // A reset an hour away is past maxDelayMs: the call goes at once rather than hang.
    resetInS = 3_600;
    await get();
    const third = get();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.requests).toHaveLength(4);
    await third;
  });
});
