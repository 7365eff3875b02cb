/**
 * Benchmark 5: walking every link of an organization with `paginate()`, over both API families, for several
 * organization sizes (the emulator is started past Auth0's entity limit). Each walk is done twice: once timed, and
 * once with a full garbage collection at every page boundary to read the heap the walk really retains. With one
 * page in memory at a time, the retained heap stays flat however many links there are.
 */
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createManagementClient, DEFAULT_PAGE_SIZE, paginate } from "../../../src/client/index.js";
import { BENCH_ORGANIZATION_ID, benchSeed } from "./fixture.js";
import { startChildServer } from "./servers.js";

export type LinkListPath = "/organizations/{id}/connections" | "/organizations/{id}/enabled_connections";
export const LINK_LIST_PATHS: readonly LinkListPath[] = ["/organizations/{id}/connections", "/organizations/{id}/enabled_connections"];

export interface PaginationResult {
  links: number;
  family: LinkListPath;
  pages: number;
  walkMs: number;
  /** Largest heap still in use at a page boundary, above the heap before the walk (after full collections). */
  retainedBytes: number;
  /** Largest heap in use at a page boundary without forcing collections (garbage included), above the start. */
  peakHeapBytes: number;
  /** For comparison: the heap that holding every item of the list at once takes. */
  allItemsBytes: number;
  /** Distinct connection ids seen; equals `links` when nothing was skipped or repeated. */
  distinct: number;
}

/** A full GC on demand, without asking the user to start Node with --expose-gc. */
export function gcFunction(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

export async function measurePagination(sizes: readonly number[], log: (line: string) => void): Promise<PaginationResult[]> {
  const gc = gcFunction();
  const results: PaginationResult[] = [];
  for (const links of sizes) {
    const server = await startChildServer(`emulator (${links} links)`, { kind: "emulator", options: { seed: benchSeed(links), entityLimit: links } });
    try {
      const client = createManagementClient({ baseUrl: server.baseUrl, token: server.token });
      for (const family of LINK_LIST_PATHS) {
        // `track` keeps every id seen, to check the walk; it grows with the walk by design, so the memory walk
        // leaves it off and measures the client alone.
        const walk = async (track: boolean, onPage?: () => void, keep?: unknown[]) => {
          const seen = new Set<string>();
          let count = 0;
          for await (const item of paginate(client, family, { params: { path: { id: BENCH_ORGANIZATION_ID }, query: { per_page: DEFAULT_PAGE_SIZE } } })) {
            if (track) seen.add(item.connection_id);
            keep?.push(item);
            count += 1;
            if (count % DEFAULT_PAGE_SIZE === 0) onPage?.();
          }
          return { count, distinct: seen.size };
        };
        await walk(false); // warm-up
        const started = performance.now();
        const { count, distinct } = await walk(true);
        const walkMs = performance.now() - started;

        gc();
        const baseline = process.memoryUsage().heapUsed;
        let peak = baseline;
        await walk(false, () => {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        });
        const retainedBytes = Math.max(0, peak - baseline);

        gc();
        const unforcedStart = process.memoryUsage().heapUsed;
        let unforcedPeak = unforcedStart;
        await walk(false, () => {
          unforcedPeak = Math.max(unforcedPeak, process.memoryUsage().heapUsed);
        });

        gc();
        const beforeAll = process.memoryUsage().heapUsed;
        const everything: unknown[] = [];
        await walk(false, undefined, everything);
        gc();
        const allItemsBytes = Math.max(0, process.memoryUsage().heapUsed - beforeAll);
        everything.length = 0;

        results.push({
          links,
          family,
          pages: Math.ceil(count / DEFAULT_PAGE_SIZE),
          walkMs,
          retainedBytes,
          peakHeapBytes: unforcedPeak - unforcedStart,
          allItemsBytes,
          distinct,
        });
        log(`  ${links} links via ${family}: ${count} items in ${walkMs.toFixed(0)} ms`);
      }
    } finally {
      await server.stop();
    }
  }
  return results;
}
