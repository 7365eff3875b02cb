/**
 * The client's shared budget against Auth0's rate limits as the emulator applies them (every preset), in simulated
 * time: paging through a thousand organizations' links finishes without an error and without a 429 it did not
 * retry, and a burst of reads to one endpoint group does not hold back writes to another.
 */
import { describe, expect, it } from "vitest";
import { createManagementClient, paginate, type RetryEvent } from "../../src/client/index.js";
import { createEmulator, LIMIT_PRESETS } from "../../src/emulator/index.js";
import { inFakeTime } from "../helpers/fake-time.js";
import { SHARED_CONNECTION_ID, thousandOrganizations } from "../helpers/large-tenant.js";

/**
 * Where in the tenant's second the run starts (ms past a whole second). Left to the wall clock, it made this test
 * pass or fail by chance: 100 ms once met 99 refusals (two same-size buckets taking turns in the headers).
 */
const START_PHASES_MS = [100, 600];

describe.each(Object.keys(LIMIT_PRESETS))("the typed client under the %s preset", (preset) => {
  it.each(START_PHASES_MS)(
    "pages through a thousand organizations' links, starting %i ms into a second: every call answered, each 429 (if any) retried",
    async (phaseMs) => {
      const emulator = createEmulator({ limits: preset as keyof typeof LIMIT_PRESETS, seed: thousandOrganizations() });
      const token = await emulator.issueToken();
      const retries: RetryEvent[] = [];
      const client = createManagementClient({ baseUrl: "http://emulator.local/api/v2", token, fetch: emulator.fetch, onRetry: (event) => retries.push(event) });
      const { result: links } = await inFakeTime(
        async () => {
          const ids: string[] = [];
          for await (const org of paginate(client, "/organizations", { params: {} })) ids.push(org.id);
          // Four at a time, as code that fans out would: they share the client's budget.
          let count = 0;
          const queue = [...ids];
          await Promise.all(
            Array.from({ length: 4 }, async () => {
              for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
                for await (const link of paginate(client, "/organizations/{id}/enabled_connections", { params: { path: { id } } }))
                  if (link.connection_id) count += 1;
              }
            }),
          );
          return count;
        },
        { startMs: Math.floor(Date.now() / 1_000) * 1_000 + phaseMs },
      );
      expect(links).toBe(1_000);
      // The budget keeps calls from being refused: at most 1% of them met a 429 (and were retried).
      expect(retries.filter((event) => event.reason === "rate_limited").length).toBeLessThanOrEqual(10);
    },
    120_000,
  );
});

describe("one budget per bucket", () => {
  it("a burst of reads to one endpoint group does not hold back writes to another", async () => {
    const seed = thousandOrganizations();
    const emulator = createEmulator({ limits: "self-service", seed: { ...seed, organizations: seed.organizations.slice(0, 30), links: [] } });
    const client = createManagementClient({ baseUrl: "http://emulator.local/api/v2", token: await emulator.issueToken(), fetch: emulator.fetch });
    const patchConnection = () => client.PATCH("/connections/{id}", { params: { path: { id: SHARED_CONNECTION_ID } }, body: { display_name: "renamed" } });
    const patchOrganization = () =>
      client.PATCH("/organizations/{id}", { params: { path: { id: seed.organizations[0]!.id } }, body: { display_name: "renamed" } });
    const { result } = await inFakeTime(async () => {
      // The client has met these operations before (an operation it has never seen could draw on any bucket, so it
      // waits for every empty one).
      await patchConnection();
      await patchOrganization();
      const started = Date.now();
      // 30 reads of the organization-connection group (5 at once, then 50 a minute): about half a minute of waiting.
      const reads = Array.from({ length: 30 }, (_, i) =>
        client.GET("/organizations/{id}/enabled_connections", { params: { path: { id: seed.organizations[i]!.id } } }).then(() => Date.now() - started),
      );
      // Meanwhile, writes to connections (no group in this plan) and to organizations (their own group).
      const writes = [patchConnection(), patchOrganization()].map((pending) => pending.then((r) => [r.response.status, Date.now() - started]));
      return { reads: await Promise.all(reads), writes: await Promise.all(writes) };
    });
    expect(Math.max(...result.reads)).toBeGreaterThan(20_000);
    for (const [status, at] of result.writes) {
      expect(status).toBe(200);
      expect(at, "a write waited for the reads' bucket").toBeLessThan(1_000);
    }
  }, 60_000);
});
