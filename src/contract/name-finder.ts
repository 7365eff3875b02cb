/**
 * The leftovers of runs whose journal is lost (a CI runner that died takes its journal with it), found by name:
 * every organization and connection on the target named `contract-test-<run id>-…` whose run id carries a start
 * time at least `olderThanMs` ago. Younger ones may belong to a run still going (another CI job on the same
 * tenant) and are not touched. Each candidate still goes through removeIfOwned's check of its current name.
 */
import { paginate } from "../client/index.js";
import { formatDuration } from "./duration.js";
import type { CleanupCandidate, LeftoverFinder } from "./cleanup.js";
import type { ApiClient } from "./fixtures.js";
import type { ResourceKind } from "./journal.js";
import { RUN_NAME_PREFIX, runNamePrefix, runStartedAt, timedRunIdOfName } from "./run-id.js";

export interface NameFinderOptions {
  /** Only runs that started at least this long ago. */
  olderThanMs: number;
  /** For tests; default Date.now(). */
  now?: () => number;
}

function candidate(kind: ResourceKind, item: { id?: string; name?: string }, startedBefore: number): CleanupCandidate | undefined {
  const runId = item.name === undefined ? undefined : timedRunIdOfName(item.name);
  const startedAt = runId === undefined ? undefined : runStartedAt(runId);
  if (!item.id || !runId || !startedAt || startedAt.getTime() > startedBefore) return undefined;
  return { kind, id: item.id, namePrefix: runNamePrefix(runId) };
}

/** Lists the target's organizations, then its connections (checkpoint paging), for runs older than the given age. */
export function staleByNameFinder(api: ApiClient, options: NameFinderOptions): LeftoverFinder {
  return {
    description: `resources named ${RUN_NAME_PREFIX}… of runs older than ${formatDuration(options.olderThanMs)}`,
    find: async () => {
      const startedBefore = (options.now ?? Date.now)() - options.olderThanMs;
      const found: CleanupCandidate[] = [];
      // Organizations first: deleting them removes their links before the connections go.
      for await (const organization of paginate(api, "/organizations", { params: {} })) {
        const stale = candidate("organization", organization, startedBefore);
        if (stale) found.push(stale);
      }
      for await (const connection of paginate(api, "/connections", { params: {} })) {
        const stale = candidate("connection", connection, startedBefore);
        if (stale) found.push(stale);
      }
      return found;
    },
  };
}
