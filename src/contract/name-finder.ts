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
import type { RunMarker } from "./run-mark.js";

export interface NameFinderOptions {
  /** Only runs that started at least this long ago. */
  olderThanMs: number;
  /** Checks the runs' marks; without one (no client secret) nothing found by name is deleted. */
  marker: RunMarker | undefined;
  /** For tests; default Date.now(). */
  now?: () => number;
}

/** Why a resource named like a run's is not proven to be one, once read. */
function proof(kind: ResourceKind, id: string, runId: string, marker: RunMarker | undefined): CleanupCandidate["unproven"] {
  if (!marker)
    return () =>
      "is named like a contract run's, but without the run's client credentials (AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET) its mark cannot be checked; delete it yourself if it is a run's";
  return (metadata) =>
    marker.verifies(kind, id, runId, metadata)
      ? undefined
      : "is named like a contract run's but does not carry that run's mark (renamed by someone, or made by a run with other credentials)";
}

function candidate(
  kind: ResourceKind,
  item: { id?: string; name?: string },
  startedBefore: number,
  marker: RunMarker | undefined,
): CleanupCandidate | undefined {
  const runId = item.name === undefined ? undefined : timedRunIdOfName(item.name);
  const startedAt = runId === undefined ? undefined : runStartedAt(runId);
  if (!item.id || !runId || !startedAt || startedAt.getTime() > startedBefore) return undefined;
  return { kind, id: item.id, namePrefix: runNamePrefix(runId), unproven: proof(kind, item.id, runId, marker) };
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
        const stale = candidate("organization", organization, startedBefore, options.marker);
        if (stale) found.push(stale);
      }
      for await (const connection of paginate(api, "/connections", { params: {} })) {
        const stale = candidate("connection", connection, startedBefore, options.marker);
        if (stale) found.push(stale);
      }
      return found;
    },
  };
}
