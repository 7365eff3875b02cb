/**
 * Benchmark 2: real loopback round trips to the emulator (in its own process) over keep-alive connections, one
 * request at a time: this client against a hand-written `fetch` doing the same request. Both use Node's global
 * `fetch` and therefore the same connection pool.
 */
import { createManagementClient } from "../../../src/client/index.js";
import { type AlternateOptions, type ContenderResult, runAlternating } from "./alternate.js";
import { BENCH_ORGANIZATION_ID, LIST_PATH } from "./fixture.js";
import type { BenchServer } from "./servers.js";

export const ROUND_TRIP_NAMES = { handWritten: "hand-written fetch", client: "this client" } as const;

export async function measureRoundTrips(emulator: BenchServer, options: AlternateOptions): Promise<ContenderResult[]> {
  const client = createManagementClient({ baseUrl: emulator.baseUrl, token: emulator.token });
  const url = `${emulator.baseUrl}${LIST_PATH}`;
  const headers = { authorization: `Bearer ${emulator.token}` };
  const path = { id: BENCH_ORGANIZATION_ID };

  return runAlternating(
    [
      {
        name: ROUND_TRIP_NAMES.handWritten,
        async run(n) {
          for (let i = 0; i < n; i += 1) {
            const response = await fetch(url, { headers });
            if (!response.ok) throw new Error(`hand-written fetch got ${response.status}`);
            await response.json();
          }
        },
      },
      {
        name: ROUND_TRIP_NAMES.client,
        async run(n) {
          for (let i = 0; i < n; i += 1) {
            const { response } = await client.GET("/organizations/{id}/connections", { params: { path } });
            if (!response.ok) throw new Error(`the client got ${response.status}`);
          }
        },
      },
    ],
    options,
  );
}
