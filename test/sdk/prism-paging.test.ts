/**
 * The official SDK (v7) against the Prism mock (`startMock`, the module behind `npm run mock`): its `for await`
 * over a list asks for page after page until one comes back empty (or, with `per_page`, shorter than `per_page`),
 * and a stateless mock answers every page alike, so the spec's default list examples must end that loop.
 */
import { ManagementClient } from "auth0";
import { describe, expect, it } from "vitest";
import { originRewritingFetch } from "../helpers/official-sdk.js";
import { mockForTests } from "../mock/running-mock.js";

const ORG = "org_W2nJ4xPq7sKd9VbT";
/** Enough pages to tell "ended" from "looping over the same example". */
const PAGE_LIMIT = 20;

const runningMock = mockForTests();

/** The SDK's `https://{domain}/api/v2/...` sent to Prism, whose paths hang directly off its URL; counts the requests. */
function sdkForMock(headers: Record<string, string> = {}) {
  const toMock = originRewritingFetch(runningMock().url);
  const requests = { count: 0 };
  const fetchForMock: typeof fetch = (input, init) => {
    requests.count += 1;
    if (requests.count > PAGE_LIMIT) throw new Error(`the SDK asked for more than ${PAGE_LIMIT} pages`);
    const request = new Request(input, init);
    const url = new URL(request.url);
    url.pathname = url.pathname.replace(/^\/api\/v2/, "");
    return toMock(new Request(url, request));
  };
  return { client: new ManagementClient({ domain: "tenant.example.com", token: "mock-token", fetch: fetchForMock, headers }), requests };
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pages) items.push(item);
  return items;
}

describe("the official SDK's paging against the Prism mock", () => {
  it("ends for both link families with the default examples, without per_page", async () => {
    const { client, requests } = sdkForMock();
    await collect(await client.organizations.enabledConnections.list(ORG));
    await collect(await client.organizations.connections.list(ORG));
    expect(requests.count).toBeLessThanOrEqual(4);
  });

  it("ends with the example that has items when per_page is larger than its page", async () => {
    const { client, requests } = sdkForMock({ prefer: "example=withTotals" });
    const enabled = await collect(await client.organizations.enabledConnections.list(ORG, { per_page: 50 }));
    const links = await collect(await client.organizations.connections.list(ORG, { per_page: 50 }));
    expect(enabled.length).toBeGreaterThan(0);
    expect(links.length).toBeGreaterThan(0);
    expect(requests.count).toBe(2);
  });

  it("ends for a connection's applications (checkpoint paging stops without `next`)", async () => {
    const { client } = sdkForMock();
    expect((await collect(await client.connections.clients.get("con_Xk3pL9qRt2VwY7Za"))).length).toBeGreaterThan(0);
  });
});
