/** paginate() over both list families, whose page objects disagree about what `limit` means. */
import { describe, expect, it } from "vitest";
import { loadDereferencedSpec } from "../../src/shared/spec.js";
import { DEFAULT_PAGE_SIZE, ManagementApiError, PaginationLimitError, createManagementClient, paginate } from "../../src/client/index.js";
import type { EnabledConnection, OrganizationConnection } from "../../src/client/types.js";
import { ORG, auth0Error, fakeFetch, fakeJwt, json, type SeenRequest } from "./fake-fetch.js";

const TOKEN = fakeJwt("paginate");

function link(n: number): OrganizationConnection & EnabledConnection {
  return {
    connection_id: `con_${String(n).padStart(16, "0")}`,
    assign_membership_on_login: false,
    show_as_button: true,
    is_enabled: true,
    organization_access_level: "none",
    connection: { name: `conn-${n}`, strategy: "auth0" },
  };
}

/** Serves `count` links the way Auth0 does on each family (see auth0-facts.md: the `limit` quirk). */
function listServer(count: number) {
  const all = Array.from({ length: count }, (_, i) => link(i));
  return fakeFetch((request: SeenRequest) => {
    const q = request.url.searchParams;
    const page = Number(q.get("page") ?? 0);
    const perPage = Number(q.get("per_page") ?? 50);
    const items = all.slice(page * perPage, (page + 1) * perPage);
    if (q.get("include_totals") !== "true") return json(200, items);
    if (request.url.pathname.endsWith("/enabled_connections")) {
      return json(200, { enabled_connections: items, start: page * perPage, limit: items.length, total: all.length });
    }
    return json(200, { connections: items, start: page * perPage, limit: perPage, total: all.length });
  });
}

/** The items a walk yielded before it threw, and what it threw. */
async function collectUntilThrown<T>(items: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const out: T[] = [];
  try {
    for await (const item of items) out.push(item);
  } catch (error) {
    return { items: out, error };
  }
  return { items: out, error: undefined };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const pagesAsked = (requests: SeenRequest[]) => requests.map((r) => Object.fromEntries(r.url.searchParams));

describe("paginate", () => {
  it.each(["/organizations/{id}/enabled_connections", "/organizations/{id}/connections"] as const)(
    "walks every page of %s and stops on total without asking for an empty page",
    async (path) => {
      const api = listServer(7);
      const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
      const items = await collect(paginate(client, path, { params: { path: { id: ORG }, query: { per_page: 3 } } }));
      expect(items.map((i) => i.connection_id)).toEqual(Array.from({ length: 7 }, (_, i) => link(i).connection_id));
      expect(pagesAsked(api.requests)).toEqual([0, 1, 2].map((page) => ({ page: String(page), per_page: "3", include_totals: "true" })));
      expect(api.requests[0]?.url.pathname).toBe(path.replace("{id}", ORG).replace(/^/, "/api/v2"));
    },
  );

  it("stops on an exact multiple of the page size without an extra request", async () => {
    const api = listServer(6);
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const items = await collect(paginate(client, "/organizations/{id}/enabled_connections", { params: { path: { id: ORG }, query: { per_page: 3 } } }));
    expect(items).toHaveLength(6);
    expect(api.requests).toHaveLength(2);
  });

  it("yields nothing for an empty list after one request", async () => {
    const api = listServer(0);
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    expect(await collect(paginate(client, "/organizations/{id}/connections", { params: { path: { id: ORG } } }))).toEqual([]);
    expect(api.requests).toHaveLength(1);
  });

  it("stops on an empty page even when total promised more", async () => {
    const api = fakeFetch((r) => {
      const page = Number(r.url.searchParams.get("page"));
      return json(200, { connections: page === 0 ? [link(0), link(1)] : [], start: page * 2, limit: 2, total: 50 });
    });
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const items = await collect(paginate(client, "/organizations/{id}/connections", { params: { path: { id: ORG }, query: { per_page: 2 } } }));
    expect(items).toHaveLength(2);
    expect(api.requests).toHaveLength(2);
  });

  it("fetches a page only when the previous one has been consumed (one page in memory)", async () => {
    const api = listServer(5);
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const iterator = paginate(client, "/organizations/{id}/connections", { params: { path: { id: ORG }, query: { per_page: 2 } } });
    expect(api.requests).toHaveLength(0);
    await iterator.next();
    await iterator.next();
    expect(api.requests).toHaveLength(1);
    await iterator.next();
    expect(api.requests).toHaveLength(2);
    await iterator.return(undefined);
    expect(api.requests).toHaveLength(2);
  });

  it("starts at a given page, passes filters through and always asks for totals", async () => {
    const api = listServer(10);
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const items = await collect(
      paginate(client, "/organizations/{id}/connections", { params: { path: { id: ORG }, query: { page: 2, per_page: 4, is_enabled: true } } }),
    );
    expect(items.map((i) => i.connection_id)).toEqual([8, 9].map((n) => link(n).connection_id));
    expect(pagesAsked(api.requests)).toEqual([{ page: "2", per_page: "4", is_enabled: "true", include_totals: "true" }]);
  });

  it("uses the largest page the spec allows when no per_page is given", async () => {
    const perPage = loadDereferencedSpec().components?.parameters?.PerPage as { schema: { maximum: number } };
    expect(DEFAULT_PAGE_SIZE).toBe(perPage.schema.maximum);
    const api = listServer(1);
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    await collect(paginate(client, "/organizations/{id}/enabled_connections", { params: { path: { id: ORG } } }));
    expect(api.requests[0]?.url.searchParams.get("per_page")).toBe(String(DEFAULT_PAGE_SIZE));
  });

  it("throws a ManagementApiError when a page fails", async () => {
    const api = fakeFetch(() => auth0Error(404, "Not Found", "No organization found by that id or name"));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const failure = await collect(paginate(client, "/organizations/{id}/enabled_connections", { params: { path: { id: ORG } } })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ManagementApiError);
    expect(failure).toMatchObject({ statusCode: 404, method: "GET", path: `/api/v2/organizations/${ORG}/enabled_connections` });
  });

  it("keeps going with a plain array answer until a short page", async () => {
    const all = [link(0), link(1), link(2)];
    const api = fakeFetch((r) => {
      const page = Number(r.url.searchParams.get("page"));
      return json(200, all.slice(page * 2, page * 2 + 2));
    });
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const items = await collect(paginate(client, "/organizations/{id}/connections", { params: { path: { id: ORG }, query: { per_page: 2 } } }));
    expect(items).toHaveLength(3);
    expect(api.requests).toHaveLength(2);
  });

  it("is bounded by maxPages against a server that never ends, and says the walk was cut short", async () => {
    const api = fakeFetch(() => json(200, [link(0)]));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const { items, error } = await collectUntilThrown(
      paginate(client, "/organizations/{id}/connections", { params: { path: { id: ORG }, query: { per_page: 1 } }, maxPages: 5 }),
    );
    expect(items).toHaveLength(5);
    expect(api.requests).toHaveLength(5);
    expect(error).toBeInstanceOf(PaginationLimitError);
    expect(error).toMatchObject({ pages: 5, path: "/organizations/{id}/connections" });
    expect((error as Error).message).toMatch(/stopped after 5 pages .* not the whole list/);
  });

  it("does not throw when the last page ends exactly at maxPages", async () => {
    const api = listServer(6);
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    expect(
      await collect(paginate(client, "/organizations/{id}/connections", { params: { path: { id: ORG }, query: { per_page: 3 } }, maxPages: 2 })),
    ).toHaveLength(6);
  });
});

describe("paginate over checkpoint lists", () => {
  /** Serves `count` connections with Auth0's checkpoint paging: `{connections, next?}` once `take` is sent. */
  function checkpointServer(count: number) {
    const all = Array.from({ length: count }, (_, i) => ({ id: `con_${String(i).padStart(16, "0")}`, name: `conn-${i}`, strategy: "auth0" }));
    return fakeFetch((request: SeenRequest) => {
      const q = request.url.searchParams;
      const start = q.has("from") ? Number(Buffer.from(q.get("from")!, "base64url").toString()) : 0;
      const take = Number(q.get("take") ?? 50);
      const page = all.slice(start, start + take);
      const end = start + page.length;
      return json(200, end < all.length ? { connections: page, next: Buffer.from(String(end)).toString("base64url") } : { connections: page });
    });
  }

  it("asks with take, follows next as from, and stops on the page without next", async () => {
    const api = checkpointServer(5);
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const items = await collect(paginate(client, "/connections", { params: { query: { take: 2, strategy: ["auth0"] } } }));
    expect(items.map((c) => c.name)).toEqual(["conn-0", "conn-1", "conn-2", "conn-3", "conn-4"]);
    expect(pagesAsked(api.requests)).toEqual([
      { take: "2", strategy: "auth0" },
      { take: "2", strategy: "auth0", from: "Mg" },
      { take: "2", strategy: "auth0", from: "NA" },
    ]);
  });

  it("uses the largest page size by default and never sends page numbers or include_totals", async () => {
    const api = checkpointServer(3);
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    expect(await collect(paginate(client, "/connections", { params: {} }))).toHaveLength(3);
    expect(pagesAsked(api.requests)).toEqual([{ take: String(DEFAULT_PAGE_SIZE) }]);
  });

  it("walks the applications of a connection (a list that only answers page objects)", async () => {
    const pages = [{ clients: [{ client_id: "a" }], next: "MQ" }, { clients: [{ client_id: "b" }] }];
    const api = fakeFetch((r) => json(200, pages[r.url.searchParams.has("from") ? 1 : 0]));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    const items = await collect(paginate(client, "/connections/{id}/clients", { params: { path: { id: "con_Xk3pL9qRt2VwY7Za" } } }));
    expect(items).toEqual([{ client_id: "a" }, { client_id: "b" }]);
  });

  it("asks each list for its own largest page: take up to 1000 on the applications of a connection", async () => {
    const api = fakeFetch(() => json(200, { clients: [{ client_id: "a" }] }));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: api.fetch });
    await collect(paginate(client, "/connections/{id}/clients", { params: { path: { id: "con_Xk3pL9qRt2VwY7Za" } } }));
    const take = loadDereferencedSpec().paths["/connections/{id}/clients"]?.get as { parameters: Array<{ name: string; schema: { maximum: number } }> };
    const maximum = take.parameters.find((p) => p.name === "take")?.schema.maximum;
    expect(maximum).toBe(1000);
    expect(pagesAsked(api.requests)).toEqual([{ take: String(maximum) }]);
  });

  it("stops on an empty page even with a next, and is bounded by maxPages", async () => {
    const empty = fakeFetch(() => json(200, { connections: [], next: "MQ" }));
    const client = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: empty.fetch });
    expect(await collect(paginate(client, "/organizations", { params: {} }))).toEqual([]);
    expect(empty.requests).toHaveLength(1);
    const endless = fakeFetch(() => json(200, { organizations: [{ id: "org_W2nJ4xPq7sKd9VbT", name: "acme-corp" }], next: "MQ" }));
    const looping = createManagementClient({ domain: "acme.auth0.com", token: TOKEN, fetch: endless.fetch });
    const { items, error } = await collectUntilThrown(paginate(looping, "/organizations", { params: {}, maxPages: 4 }));
    expect(items).toHaveLength(4);
    expect(endless.requests).toHaveLength(4);
    expect(error).toBeInstanceOf(PaginationLimitError);
  });
});
