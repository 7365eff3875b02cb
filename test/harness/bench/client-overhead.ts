/**
 * Benchmark 1: what the client costs per call, with the network taken away. Every contender calls the same stub
 * `fetch` that resolves at once with the same list body (the harness openapi-fetch uses for its own published
 * figures), and reads the answer as JSON:
 * - raw `fetch`: a `Request` built by hand, passed to the stub, body parsed;
 * - bare openapi-fetch: `createClient<paths>()` with the same stub;
 * - this client: `createManagementClient()` with every middleware on (token, retries, deadline, safe path
 *   parameters, rate-limit bookkeeping).
 */
import createClient from "openapi-fetch";
import type { paths } from "../../../generated/schema.js";
import { createManagementClient } from "../../../src/client/index.js";
import { type AlternateOptions, type ContenderResult, runAlternating } from "./alternate.js";
import { BENCH_ORGANIZATION_ID, LIST_PATH } from "./fixture.js";

// Never contacted: the stub answers every request.
const BASE_URL = "http://client-overhead.bench/api/v2";
const TOKEN = "bench-token";

function stubFetch(body: string): (request: Request) => Promise<Response> {
  return async () => new Response(body, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
}

export const CLIENT_OVERHEAD_NAMES = { raw: "raw fetch", openapiFetch: "bare openapi-fetch", client: "this client" } as const;

export async function measureClientOverhead(listBody: string, options: AlternateOptions): Promise<ContenderResult[]> {
  const fetch = stubFetch(listBody);
  const bare = createClient<paths>({ baseUrl: BASE_URL, fetch });
  const ours = createManagementClient({ baseUrl: BASE_URL, token: TOKEN, fetch });
  const path = { id: BENCH_ORGANIZATION_ID };
  const expectOk = (ok: boolean, who: string) => {
    if (!ok) throw new Error(`${who} did not get the stubbed 200`);
  };

  return runAlternating(
    [
      {
        name: CLIENT_OVERHEAD_NAMES.raw,
        async run(n) {
          for (let i = 0; i < n; i += 1) {
            const response = await fetch(new Request(`${BASE_URL}${LIST_PATH}`, { headers: { authorization: `Bearer ${TOKEN}` } }));
            expectOk(Array.isArray(await response.json()), this.name);
          }
        },
      },
      {
        name: CLIENT_OVERHEAD_NAMES.openapiFetch,
        async run(n) {
          for (let i = 0; i < n; i += 1) {
            const { data } = await bare.GET("/organizations/{id}/connections", { params: { path }, headers: { authorization: `Bearer ${TOKEN}` } });
            expectOk(Array.isArray(data), this.name);
          }
        },
      },
      {
        name: CLIENT_OVERHEAD_NAMES.client,
        async run(n) {
          for (let i = 0; i < n; i += 1) {
            const { data } = await ours.GET("/organizations/{id}/connections", { params: { path } });
            expectOk(Array.isArray(data), this.name);
          }
        },
      },
    ],
    options,
  );
}
