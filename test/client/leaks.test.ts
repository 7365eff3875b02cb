/**
 * No part of a secret in a client error (issue 20): redaction comes before any cut, catches any 8 characters of a
 * secret (a gateway may echo part of one), and a token with control characters is refused before it reaches a
 * header, with a message that does not hold it. Error bodies are read only up to a bound, decompressed.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createManagementClient } from "../../src/client/index.js";
import { MAX_ERROR_BODY_BYTES } from "../../src/client/errors.js";
import { ORG, fakeFetch, fakeJwt, json, rejectionOf } from "./fake-fetch.js";

/** Every run of 8 characters of the secret that appears in the text. */
function fragmentsOf(secret: string, text: string): string[] {
  const found: string[] = [];
  for (let index = 0; index + 8 <= secret.length; index += 1) if (text.includes(secret.slice(index, index + 8))) found.push(secret.slice(index, index + 8));
  return found;
}

const CLIENT_SECRET = "Xq3vB8mN2pL7wR4tY9uK1jH6gF5dS0aZcE2rT8yU4iO6pA1sD3fG7hJ9kL5zX0cV";
const OPAQUE_TOKEN = "op4queT0kenAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnop";

/** A client logging in with the secret under test, through the fake fetch, without retries. */
const credentialsClient = (fetch: Parameters<typeof createManagementClient>[0]["fetch"]) =>
  createManagementClient({ domain: "acme.auth0.com", clientId: "app", clientSecret: CLIENT_SECRET, fetch, retry: { maxRetries: 0 } });

describe("client errors hold no part of a secret", () => {
  it("a gateway page echoing the token request, cut after the secret's first 60 characters", async () => {
    expect(CLIENT_SECRET).toHaveLength(64);
    const api = fakeFetch((request) => {
      // The page shows the request it got; the client's 300-character cut falls 4 characters before the secret's end.
      const echoed = `Bad gateway. Request was: ${request.body}`;
      const padding = "x".repeat(300 - echoed.indexOf(CLIENT_SECRET) - 60);
      return new Response(`${padding}${echoed}`, { status: 502, headers: { "content-type": "text/html" } });
    });
    const client = credentialsClient(api.fetch);
    const failure = await rejectionOf(client.GET("/organizations/{id}", { params: { path: { id: ORG } } }));
    expect(fragmentsOf(CLIENT_SECRET, failure.message)).toEqual([]);
    expect(fragmentsOf(CLIENT_SECRET, String(failure))).toEqual([]);
  });

  it("an echoed opaque bearer token, cut short", async () => {
    expect(OPAQUE_TOKEN).toHaveLength(63);
    const api = fakeFetch((request) => {
      const echoed = `Upstream refused: authorization=${request.headers.get("authorization")}`;
      return new Response(`${"y".repeat(300 - echoed.indexOf(OPAQUE_TOKEN) - 59)}${echoed}`, { status: 503 });
    });
    const client = createManagementClient({ domain: "acme.auth0.com", token: OPAQUE_TOKEN, fetch: api.fetch, retry: { maxRetries: 0 } });
    const failure = await rejectionOf(client.unwrap(client.GET("/organizations/{id}", { params: { path: { id: ORG } } })));
    expect(fragmentsOf(OPAQUE_TOKEN, failure.message)).toEqual([]);
  });

  it("a server that echoes only a part of the secret (its own cut)", async () => {
    const api = fakeFetch(() => json(400, { statusCode: 400, error: "Bad Request", message: `client_secret '${CLIENT_SECRET.slice(5, 30)}…' is not valid` }));
    const client = credentialsClient(api.fetch);
    const failure = await rejectionOf(client.GET("/organizations/{id}", { params: { path: { id: ORG } } }));
    expect(fragmentsOf(CLIENT_SECRET, failure.message)).toEqual([]);
    expect(failure.message).toContain("[REDACTED]");
  });
});

describe("errors a fetch throws", () => {
  it("are wrapped and scrubbed, their causes too", async () => {
    const token = fakeJwt("thrown");
    const client = createManagementClient({
      domain: "acme.auth0.com",
      token,
      retry: { maxRetries: 0 },
      fetch: (request) => Promise.reject(new TypeError("fetch failed", { cause: new Error(`socket said: ${request.headers.get("authorization")}`) })),
    });
    const failure = await rejectionOf(client.GET("/organizations/{id}", { params: { path: { id: ORG } } }));
    expect(fragmentsOf(token, failure.message)).toEqual([]);
    expect(fragmentsOf(token, String(((failure.cause as Error).cause as Error).message))).toEqual([]);
  });
});

describe("a token with control characters", () => {
  const BAD = [`${fakeJwt("crlf")}\r\nX-Injected: yes`, `${fakeJwt("nul")}\u0000tail`, `${fakeJwt("tab")}\tmore`];

  it.each(BAD)("is refused when the client is made, in a message without it (%#)", (token) => {
    let failure: unknown;
    try {
      createManagementClient({ domain: "acme.auth0.com", token });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toMatch(/control character/);
    expect(fragmentsOf(token, (failure as Error).message)).toEqual([]);
  });

  it.each(BAD)("from a token function is refused before it reaches a header, in a message without it (%#)", async (token) => {
    const api = fakeFetch(() => json(200, {}));
    const client = createManagementClient({ domain: "acme.auth0.com", token: () => token, fetch: api.fetch });
    const failure = await rejectionOf(client.GET("/organizations/{id}", { params: { path: { id: ORG } } }));
    expect(failure.message).toMatch(/control character/);
    expect(fragmentsOf(token, failure.message)).toEqual([]);
    expect(fragmentsOf(token, String((failure as { cause?: unknown }).cause ?? ""))).toEqual([]);
    expect(api.requests).toHaveLength(0);
  });

  it("from the token endpoint is refused, in a message without it", async () => {
    const token = `${fakeJwt("endpoint")}\r\nSet-Cookie: x=1`;
    const api = fakeFetch((request) => (request.url.pathname === "/oauth/token" ? json(200, { access_token: token, expires_in: 60 }) : json(200, {})));
    const client = createManagementClient({ domain: "acme.auth0.com", clientId: "app", clientSecret: CLIENT_SECRET, fetch: api.fetch });
    const failure = await rejectionOf(client.GET("/organizations/{id}", { params: { path: { id: ORG } } }));
    expect(failure.message).toMatch(/control character/);
    expect(fragmentsOf(token, failure.message)).toEqual([]);
  });

  it("a client secret with one is refused up front too", () => {
    const secret = `${CLIENT_SECRET}\n`;
    expect(() => createManagementClient({ domain: "acme.auth0.com", clientId: "app", clientSecret: secret })).toThrow(/control character/);
    try {
      createManagementClient({ domain: "acme.auth0.com", clientId: "app", clientSecret: secret });
    } catch (error) {
      expect(fragmentsOf(CLIENT_SECRET, (error as Error).message)).toEqual([]);
    }
  });
});

describe("error bodies are read up to a bound", () => {
  it("a huge error body is read no further than MAX_ERROR_BODY_BYTES", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(120);
    const api = fakeFetch(
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              pulled += chunk.length;
              // Endless: only a bounded read ever finishes.
              controller.enqueue(chunk);
            },
          }),
          { status: 500, headers: { "content-type": "text/plain" } },
        ),
    );
    const client = createManagementClient({ domain: "acme.auth0.com", token: fakeJwt("big"), fetch: api.fetch, retry: { maxRetries: 0 } });
    const { error, response } = await client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
    expect(response.status).toBe(500);
    expect(typeof error).toBe("string");
    expect((error as unknown as string).length).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
    expect(pulled).toBeLessThan(MAX_ERROR_BODY_BYTES + 4 * chunk.length);
  });

  it("a small gzip body that inflates far is cut at the bound once decompressed", async () => {
    const inflated = 200 * 1024 * 1024;
    const compressed = gzipSync(Buffer.alloc(inflated, "z"));
    expect(compressed.length).toBeLessThan(300 * 1024);
    const { createServer } = await import("node:http");
    const server = createServer((_request, response) => {
      response.writeHead(500, { "content-type": "text/plain", "content-encoding": "gzip", "content-length": String(compressed.length) });
      response.end(compressed);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    try {
      const { port } = server.address() as import("node:net").AddressInfo;
      const client = createManagementClient({ baseUrl: `http://127.0.0.1:${port}/api/v2`, token: fakeJwt("gzip"), retry: { maxRetries: 0 } });
      const before = process.memoryUsage().rss;
      const failure = await rejectionOf(client.unwrap(client.GET("/organizations/{id}", { params: { path: { id: ORG } } })));
      expect(failure.message.length).toBeLessThan(1_000);
      // The whole inflated body would be 200 MB (its text twice that); the bound keeps the read to a few MB.
      expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
