/**
 * The per-attempt deadline beyond the basic cases in retry.test.ts: it covers reading the answer's body, it reaches
 * fetch implementations that copy the request, concurrent calls keep their own, and requests rebuilt by caller
 * middleware still carry it. All on fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createManagementClient } from "../../src/client/index.js";
import { ORG, fakeFetch, fakeJwt, json, type Handler } from "./fake-fetch.js";

const TOKEN = fakeJwt("deadline");
const org = { id: ORG, name: "acme" };

/** An answer whose body starts but never ends (and a fetch that ignores aborts). */
function stalledBody(status: number): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"id":'));
    },
  });
  return new Response(stream, { status, headers: { "content-type": "application/json" } });
}

const hang = () => new Promise<Response>(() => {});

function setup(handler: Handler, options: { timeoutMs?: number; maxRetries?: number } = {}) {
  const api = fakeFetch(handler);
  const client = createManagementClient({
    domain: "acme.auth0.com",
    token: TOKEN,
    fetch: api.fetch,
    timeoutMs: options.timeoutMs ?? 1_000,
    retry: { maxRetries: options.maxRetries ?? 0, baseDelayMs: 10 },
  });
  return { api, client };
}

const getOrg = (client: ReturnType<typeof createManagementClient>, init: { signal?: AbortSignal } = {}) =>
  client.GET("/organizations/{id}", { params: { path: { id: ORG } }, ...init });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the deadline", () => {
  it("covers reading a success's body: a body that stalls fails the call with a TimeoutError", async () => {
    const { api, client } = setup(() => stalledBody(200));
    const pending = getOrg(client).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(999);
    expect(api.requests[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({ name: "TimeoutError", message: `GET /api/v2/organizations/${ORG} timed out after 1000 ms` });
    expect(api.requests[0]?.signal.aborted).toBe(true);
  });

  it("counts an error answer whose body stalls as a timed-out attempt, which an idempotent request repeats", async () => {
    const { api, client } = setup((_r, i) => (i === 0 ? stalledBody(503) : json(200, org)), { maxRetries: 1 });
    const pending = getOrg(client);
    await vi.runAllTimersAsync();
    const { data, response } = await pending;
    expect(response.status).toBe(200);
    expect(data).toEqual(org);
    expect(api.requests).toHaveLength(2);
  });

  it("is given to fetch as init.signal too, so a fetch that copies the request (as the platform's does) stops", async () => {
    const seen: { init: { signal?: AbortSignal } | undefined; request: Request }[] = [];
    const client = createManagementClient({
      domain: "acme.auth0.com",
      token: TOKEN,
      timeoutMs: 1_000,
      retry: { maxRetries: 0 },
      fetch: (request, init) => {
        seen.push({ request, init });
        return hang();
      },
    });
    const pending = getOrg(client).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await pending).toMatchObject({ name: "TimeoutError" });
    const signal = seen[0]?.init?.signal;
    expect(signal).toBe(seen[0]?.request.signal);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toMatchObject({ name: "TimeoutError" });
  });

  it("runs separately for concurrent calls", async () => {
    const { client } = setup(hang, { timeoutMs: 1_000 });
    const settled: string[] = [];
    const first = getOrg(client).catch(() => settled.push("first"));
    await vi.advanceTimersByTimeAsync(600);
    const second = getOrg(client).catch(() => settled.push("second"));
    await vi.advanceTimersByTimeAsync(400);
    expect(settled).toEqual(["first"]);
    await vi.advanceTimersByTimeAsync(599);
    expect(settled).toEqual(["first"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toEqual(["first", "second"]);
    await Promise.all([first, second]);
  });

  it("does not end a call that finished in time, nor one started after it", async () => {
    const { client } = setup((_r, i) => (i === 0 ? json(200, org) : hang()), { timeoutMs: 1_000 });
    expect((await getOrg(client)).response.status).toBe(200);
    await vi.advanceTimersByTimeAsync(500);
    let failed = false;
    const late = getOrg(client).catch(() => (failed = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(failed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(failed).toBe(true);
    await late;
  });

  it("still reaches a request that caller middleware replaced with a new one", async () => {
    const { api, client } = setup(hang, { timeoutMs: 1_000 });
    client.use({
      onRequest: ({ request }) => new Request(request, { headers: { ...Object.fromEntries(request.headers), "x-trace": "1" } }),
    });
    const pending = getOrg(client).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await pending).toMatchObject({ name: "TimeoutError" });
    expect(api.requests[0]?.headers.get("x-trace")).toBe("1");
    expect(api.requests[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(api.requests[0]?.signal.aborted).toBe(true);
  });
});

describe("the caller's signal", () => {
  it("releases the caller at once, even from a fetch that ignores aborts, and aborts the request's signal", async () => {
    const { api, client } = setup(hang, { timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = getOrg(client, { signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await pending).toMatchObject({ name: "AbortError" });
    expect(api.requests[0]?.signal.aborted).toBe(true);
  });

  it("stops a call whose body is being read", async () => {
    const { client } = setup(() => stalledBody(200), { timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = getOrg(client, { signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await pending).toMatchObject({ name: "AbortError" });
  });

  it("fails a call at once when it was aborted before the call", async () => {
    const { api, client } = setup(() => json(200, org));
    const failure = await getOrg(client, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: "AbortError" });
    expect(api.requests).toHaveLength(0);
  });
});

describe("the token request's deadline", () => {
  // The same deadline (`timeoutMs`, from the same queue) bounds the exchange with the token endpoint, body included.
  function credentialsClient(handler: Handler) {
    const api = fakeFetch(handler);
    const client = createManagementClient({
      domain: "acme.auth0.com",
      clientId: "id",
      clientSecret: "a-secret-for-the-test",
      fetch: api.fetch,
      timeoutMs: 1_000,
      retry: { maxRetries: 0 },
    });
    return { api, client };
  }

  it("ends a token endpoint that does not answer with a TimeoutError naming the request", async () => {
    const { client } = credentialsClient(() => hang());
    const pending = client.getAccessToken();
    const failure = expect(pending).rejects.toMatchObject({ name: "TimeoutError", message: "POST /oauth/token timed out after 1000 ms" });
    await vi.advanceTimersByTimeAsync(1_000);
    await failure;
  });

  it("covers reading the token answer's body", async () => {
    const { client } = credentialsClient(() => stalledBody(200));
    const pending = client.getAccessToken();
    const failure = expect(pending).rejects.toMatchObject({ name: "TimeoutError", message: "POST /oauth/token timed out after 1000 ms" });
    await vi.advanceTimersByTimeAsync(999);
    await vi.advanceTimersByTimeAsync(1);
    await failure;
  });

  it("fails an API call whose token request timed out, without sending the call", async () => {
    const { api, client } = credentialsClient((request) => (request.url.pathname === "/oauth/token" ? hang() : json(200, org)));
    const call = getOrg(client);
    const failure = expect(call).rejects.toMatchObject({ name: "TimeoutError" });
    await vi.advanceTimersByTimeAsync(1_000);
    await failure;
    expect(api.apiRequests()).toHaveLength(0);
  });
});

describe("a finished call", () => {
  it("leaves nothing that keeps the process alive until its deadline would have passed", async () => {
    vi.useRealTimers();
    const { execFile } = await import("node:child_process");
    const { fileURLToPath } = await import("node:url");
    const entry = fileURLToPath(new URL("../../src/client/index.ts", import.meta.url));
    const program = `
      const { createManagementClient } = await import(${JSON.stringify(entry)});
      const client = createManagementClient({ baseUrl: "http://127.0.0.1:9/api/v2", token: "a-token-for-the-test", timeoutMs: 60000,
        fetch: async () => new Response("{}", { status: 200, headers: { "content-type": "application/json" } }) });
      const { response } = await client.GET("/organizations/{id}", { params: { path: { id: "org_1" } } });
      // The token request's deadline too (a client-credentials client fetches a token first).
      const credentials = createManagementClient({ baseUrl: "http://127.0.0.1:9/api/v2", clientId: "id", clientSecret: "a-secret-for-the-test", timeoutMs: 60000,
        fetch: async () => new Response('{"access_token":"t","expires_in":86400}', { status: 200, headers: { "content-type": "application/json" } }) });
      await credentials.getAccessToken();
      console.log(response.status);`;
    const started = Date.now();
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", program], { timeout: 30_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });
    expect(output.trim()).toBe("200");
    // A referenced 60 s timer would hold the process open for a minute.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
