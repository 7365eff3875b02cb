/**
 * The official SDK, v7 and v4, unchanged, under every rate-limit preset of the emulator (in-process, in simulated
 * time): code that pages through a thousand organizations' links finishes without an error — the SDKs' own retries
 * meet the same buckets as the toolkit's client and get through every 429 they meet.
 */
import { ManagementClient } from "auth0";
import { ManagementClient as ManagementClientV4 } from "auth0-v4";
import { describe, expect, it } from "vitest";
import { createEmulator, LIMIT_PRESETS } from "../../src/emulator/index.js";
import { inFakeTime } from "../helpers/fake-time.js";
import { thousandOrganizations } from "../helpers/large-tenant.js";
import { SDK_CLIENT, SEED } from "./fixture.js";

function tenant(preset: string) {
  const seed = thousandOrganizations();
  const emulator = createEmulator({ limits: preset as keyof typeof LIMIT_PRESETS, seed: { ...seed, clients: SEED.clients } });
  // Every answer the SDK got, so that a 429 it gave up on would show as the call's error and here.
  const statuses: number[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await emulator.fetch(input, init);
    statuses.push(response.status);
    return response;
  }) as typeof globalThis.fetch;
  return { emulator, fetch, statuses };
}

describe.each(Object.keys(LIMIT_PRESETS))("under the %s preset", (preset) => {
  it("auth0 v7 pages through a thousand organizations' links without an error", async () => {
    const { emulator, fetch, statuses } = tenant(preset);
    const client = new ManagementClient({ domain: emulator.domain, ...SDK_CLIENT, fetch });
    const { result: links } = await inFakeTime(async () => {
      let count = 0;
      const ids: string[] = [];
      for await (const org of await client.organizations.list()) ids.push(org.id!);
      for (const id of ids) for await (const link of await client.organizations.enabledConnections.list(id)) if (link.connection_id) count += 1;
      return count;
    });
    expect(links).toBe(1_000);
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
  }, 120_000);

  it("auth0 v4 pages through a thousand organizations' links without an error", async () => {
    const { emulator, fetch, statuses } = tenant(preset);
    const client = new ManagementClientV4({ domain: emulator.domain, ...SDK_CLIENT, fetch });
    const { result: links } = await inFakeTime(async () => {
      let count = 0;
      const ids: string[] = [];
      for (let page = 0; ; page += 1) {
        const { data } = await client.organizations.getAll({ page, per_page: 100, include_totals: true });
        ids.push(...data.organizations.map((org) => org.id));
        if ((page + 1) * 100 >= data.total) break;
      }
      for (const id of ids) count += (await client.organizations.getEnabledConnections({ id })).data.length;
      return count;
    });
    expect(links).toBe(1_000);
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
  }, 120_000);
});
