/** Path parameters cannot escape their place in the URL, and secrets never leave the client in text. */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createManagementClient, type RetryEvent } from "../../src/client/index.js";
import { ORG, auth0Error, fakeFetch, fakeJwt, json, rejectionOf } from "./fake-fetch.js";

const TOKEN = fakeJwt("safety");
const CLIENT_SECRET = "s3cr3t-Qx9vLmZr7TyP2wKd8NcB4hJf6GsA1eR5";

describe("path parameters", () => {
  it("are percent-encoded, so '../../users' stays inside its own segment", async () => {
    const api = fakeFetch(() => json(200, {}));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    await client.GET("/organizations/{id}/connections/{connection_id}", { params: { path: { id: "../../users", connection_id: "a/b?c#d" } } });
    const url = api.requests[0]?.url;
    expect(url?.pathname).toBe("/api/v2/organizations/..%2F..%2Fusers/connections/a%2Fb%3Fc%23d");
    expect(url?.search).toBe("");
    expect(url?.pathname.split("/")).toHaveLength(7);
  });

  it.each([".", "..", ""])("refuse %j, which would change which resource the URL names, before sending anything", async (id) => {
    const api = fakeFetch(() => json(200, {}));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    await expect(client.DELETE("/organizations/{id}", { params: { path: { id } } })).rejects.toThrow(/Path parameter "id" may not be/);
    expect(api.requests).toHaveLength(0);
  });

  it("refuse a missing value instead of sending the placeholder", async () => {
    const api = fakeFetch(() => json(200, {}));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    await expect(client.GET("/organizations/{id}", { params: { path: {} } } as never)).rejects.toThrow('Path parameter "id" is missing.');
    expect(api.requests).toHaveLength(0);
  });
});

describe("secrets", () => {
  it("do not show in util.inspect, JSON or the keys of the client", async () => {
    const api = fakeFetch((r) => (r.url.pathname === "/oauth/token" ? json(200, { access_token: TOKEN, expires_in: 86_400 }) : json(200, {})));
    const clients = [
      createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch }),
      createManagementClient({ domain: "acme.auth0.com", token: () => TOKEN, fetch: api.fetch }),
      createManagementClient({ domain: "acme.auth0.com", clientId: "abc", clientSecret: CLIENT_SECRET, fetch: api.fetch }),
    ];
    for (const client of clients) {
      await client.GET("/organizations/{id}", { params: { path: { id: ORG } } });
      const shown = [
        inspect(client, { depth: Infinity, showHidden: true }),
        JSON.stringify(client),
        String(Object.keys(client)),
        `${client as unknown as string}`,
      ].join("\n");
      expect(shown).toContain("acme.auth0.com/api/v2");
      expect(shown).not.toContain(TOKEN);
      expect(shown).not.toContain(CLIENT_SECRET);
    }
    expect(inspect(clients[2])).toBe('ManagementClient {"baseUrl":"https://acme.auth0.com/api/v2","auth":"client credentials"}');
  });

  it("are scrubbed from error messages even when a server echoes them back", async () => {
    const api = fakeFetch((r) => auth0Error(400, "Bad Request", `Bad HTTP authentication header format: ${r.headers.get("authorization")}`, "Bearer"));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const failure = await rejectionOf(client.unwrap(client.GET("/organizations/{id}", { params: { path: { id: ORG } } })));
    expect(failure.message).toBe(
      `GET /api/v2/organizations/${ORG} answered 400 Bad Request (Bearer): Bad HTTP authentication header format: Bearer [REDACTED]`,
    );
    expect([failure.message, String(failure), failure.stack, inspect(failure, { depth: Infinity }), JSON.stringify(failure)].join("\n")).not.toContain(TOKEN);
  });

  it("are scrubbed from plain-text error bodies, and retry events carry none", async () => {
    const events: RetryEvent[] = [];
    const api = fakeFetch((r) => new Response(`denied ${r.headers.get("authorization")}`, { status: 400 }));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch, onRetry: (e) => events.push(e) });
    const failure = await rejectionOf(client.unwrap(client.GET("/organizations/{id}", { params: { path: { id: ORG } } })));
    expect(failure.message).toBe(`GET /api/v2/organizations/${ORG} answered 400 Bad Request: denied Bearer [REDACTED]`);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
  });

  it("never land in an error about the request (the request is not kept on the error)", async () => {
    const api = fakeFetch(() => auth0Error(404, "Not Found", "No organization found by that id or name"));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const failure = await rejectionOf(client.unwrap(client.GET("/organizations/{id}", { params: { path: { id: ORG } } })));
    expect(Object.keys(failure).sort()).toEqual(["detail", "error", "errorCode", "method", "name", "path", "rateLimit", "statusCode"]);
    expect(inspect(failure, { depth: Infinity, showHidden: true })).not.toContain(TOKEN);
  });
});
