/**
 * Benchmark 3b: in-process mocks. The same list call through openapi-fetch, answered in-process two ways:
 * - the emulator's `emulator.fetch`: token check, validation of path and query, the tenant's state, the reply
 *   serialized, all in the calling process, no socket;
 * - an msw 2 handler (what most teams pick for in-process mocks), answering the same body statically. msw patches
 *   `globalThis.fetch` when its server starts listening, so openapi-fetch gets a fetch that reads `globalThis.fetch`
 *   at call time, not the one that was there when the client was made.
 * msw is started only for this comparison and closed right after, so its patches never touch another benchmark.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import createClient from "openapi-fetch";
import type { paths } from "../../../generated/schema.js";
import { createEmulator } from "../../../src/emulator/index.js";
import { type AlternateOptions, type ContenderResult, runAlternating } from "./alternate.js";
import { BENCH_ORGANIZATION_ID, benchSeed } from "./fixture.js";

export const IN_PROCESS_NAMES = { emulator: "emulator.fetch (token, validation, state)", msw: "msw 2 static handler" } as const;

const MSW_BASE = "http://msw.bench/api/v2";

export async function measureInProcess(options: AlternateOptions): Promise<ContenderResult[]> {
  const emulator = createEmulator({ seed: benchSeed() });
  const token = await emulator.issueToken();
  const viaEmulator = createClient<paths>({
    baseUrl: `http://${emulator.domain}/api/v2`,
    fetch: emulator.fetch,
    headers: { authorization: `Bearer ${token}` },
  });
  const listed = await viaEmulator.GET("/organizations/{id}/connections", { params: { path: { id: BENCH_ORGANIZATION_ID } } });
  if (!Array.isArray(listed.data)) throw new Error(`the emulator answered the in-process list call with ${listed.response.status}`);
  const body = listed.data;

  const msw = setupServer(http.get(`${MSW_BASE}/organizations/:id/connections`, () => HttpResponse.json(body)));
  msw.listen({ onUnhandledRequest: "error" });
  try {
    const viaMsw = createClient<paths>({ baseUrl: MSW_BASE, fetch: (request) => globalThis.fetch(request), headers: { authorization: `Bearer ${token}` } });
    const path = { id: BENCH_ORGANIZATION_ID };
    const expectList = (data: unknown, who: string) => {
      if (!Array.isArray(data) || data.length !== body.length) throw new Error(`${who} did not answer the list`);
    };
    return await runAlternating(
      [
        {
          name: IN_PROCESS_NAMES.emulator,
          async run(iterations) {
            for (let call = 0; call < iterations; call += 1)
              expectList((await viaEmulator.GET("/organizations/{id}/connections", { params: { path } })).data, this.name);
          },
        },
        {
          name: IN_PROCESS_NAMES.msw,
          async run(iterations) {
            for (let call = 0; call < iterations; call += 1)
              expectList((await viaMsw.GET("/organizations/{id}/connections", { params: { path } })).data, this.name);
          },
        },
      ],
      options,
    );
  } finally {
    msw.close();
  }
}
