/**
 * Deleting only what is the run's own. Before any delete — at the end of a run, on an interrupt, or with
 * `--cleanup` — the resource is read and deleted only if its current name still starts with the run's prefix
 * (`contract-test-<run id>-`). Anything else (renamed, reused id, a stale or hand-edited journal) is reported and
 * left alone. Where the candidates come from is a `LeftoverFinder`: the journals (journalFinder in fixtures.ts), and
 * with `--older-than` the tenant's own lists, by name (name-finder.ts). A name is not proof of whose a resource is
 * (anyone who may rename can give it a run's name), so a candidate found by name also needs the run's mark
 * (run-mark.ts): `unproven` says why one without it is left alone.
 */
import type { ManagementClient } from "../client/index.js";
import type { Journal, JournalEntry, ResourceKind } from "./journal.js";

/** The client the run calls the target with (the fixtures and the clean-up share it). */
export type ApiClient = ManagementClient;

export interface CleanupCandidate {
  kind: ResourceKind;
  id: string;
  /** Only a resource whose current name starts with this is deleted. */
  namePrefix: string;
  /** Told when the candidate is settled (deleted, gone, or left alone), e.g. to update a journal. */
  settled?: () => void;
  /** Created by this very run, which knows it still carries the run's name: deleted without reading it first. */
  known?: boolean;
  /** Its name as journaled. */
  name?: string;
  /** For a candidate found by name: why the resource as read now is not proven the run's (undefined: it is). */
  unproven?: (metadata: unknown) => string | undefined;
}

/** A source of resources to clean up. */
export interface LeftoverFinder {
  /** For messages, e.g. `the journal in .contract-journal`. */
  description: string;
  find(): Promise<CleanupCandidate[]>;
}

export interface CleanupOutcome {
  /** `organization contract-test-…-org (org_…)`, one per deleted resource. */
  removed: string[];
  /** Resources that no longer carry the run's name, with why they were left. */
  leftAlone: string[];
  /** Resources whose deletion failed (they stay journaled for `--cleanup`). */
  failures: string[];
}

export const emptyOutcome = (): CleanupOutcome => ({ removed: [], leftAlone: [], failures: [] });

export interface CleanupProgress {
  /** Checked before each resource: true stops the clean-up where it is (a second Ctrl-C). */
  shouldStop?: () => boolean;
  /** Told about each resource as it is settled, so that progress shows while it goes. */
  log?: (line: string) => void;
}

async function readCurrent(api: ApiClient, kind: ResourceKind, id: string): Promise<{ status: number; name?: string; metadata?: unknown }> {
  const { data, response } =
    kind === "organization"
      ? await api.GET("/organizations/{id}", { params: { path: { id } } })
      : await api.GET("/connections/{id}", { params: { path: { id } } });
  const current = data as { name?: string; metadata?: unknown } | undefined;
  return { status: response.status, name: current?.name, metadata: current?.metadata };
}

/** Sends the DELETE and returns the status: 204 deleted, 202 being deleted (a connection), 404 already gone. */
export async function sendDelete(api: ApiClient, kind: ResourceKind, id: string): Promise<number> {
  const { response } =
    kind === "organization"
      ? await api.DELETE("/organizations/{id}", { params: { path: { id } } })
      : await api.DELETE("/connections/{id}", { params: { path: { id } } });
  return response.status;
}

/** Deletes one candidate if it is still the run's own; records the outcome. */
export async function removeIfOwned(
  api: ApiClient,
  candidate: CleanupCandidate,
  outcome: CleanupOutcome,
  log: (line: string) => void = () => {},
): Promise<void> {
  const label = `${candidate.kind} ${candidate.id}`;
  try {
    // A resource this very run made is known to be its own: deleted without reading it first.
    const current = candidate.known
      ? { status: 200, name: candidate.name ?? candidate.namePrefix, metadata: undefined }
      : await readCurrent(api, candidate.kind, candidate.id);
    if (current.status === 404) {
      candidate.settled?.();
      return;
    }
    if (current.status !== 200) throw new Error(`could not read ${label} (HTTP ${current.status})`);
    if (!current.name?.startsWith(candidate.namePrefix)) {
      outcome.leftAlone.push(`${label} is now named '${current.name ?? "(no name)"}', not ${candidate.namePrefix}…: left alone`);
      log(`  not removed: ${outcome.leftAlone.at(-1)}`);
      candidate.settled?.();
      return;
    }
    const unproven = candidate.known ? undefined : candidate.unproven?.(current.metadata);
    if (unproven) {
      outcome.leftAlone.push(`${label} '${current.name}' ${unproven}: left alone`);
      log(`  not removed: ${outcome.leftAlone.at(-1)}`);
      candidate.settled?.();
      return;
    }
    const status = await sendDelete(api, candidate.kind, candidate.id);
    // 202: a connection is being deleted; 204: deleted; 404: gone meanwhile.
    if (![202, 204, 404].includes(status)) throw new Error(`could not delete ${label} (HTTP ${status})`);
    outcome.removed.push(`${candidate.kind} ${current.name} (${candidate.id})`);
    log(`  removed ${outcome.removed.at(-1)}`);
    candidate.settled?.();
  } catch (error) {
    outcome.failures.push(error instanceof Error ? error.message : String(error));
  }
}

/** The candidates a journal holds (newest first); each is forgotten once settled. */
export function journalCandidates(journal: Journal): CleanupCandidate[] {
  return journal.pending().map((entry: JournalEntry) => ({
    kind: entry.kind,
    id: entry.id,
    name: entry.name,
    namePrefix: journal.namePrefix,
    settled: () => journal.forget(entry),
  }));
}

/** Runs every finder and removes what it found that is still the run's own (each resource once, whoever found it). */
export async function removeLeftovers(api: ApiClient, finders: LeftoverFinder[], progress: CleanupProgress = {}): Promise<CleanupOutcome> {
  const outcome = emptyOutcome();
  const handled = new Set<string>();
  for (const finder of finders) {
    for (const candidate of await finder.find()) {
      if (progress.shouldStop?.()) return outcome;
      // A connection being deleted is still listed (202): the journal's finder may have sent its delete already.
      const key = `${candidate.kind}:${candidate.id}`;
      if (handled.has(key)) continue;
      handled.add(key);
      await removeIfOwned(api, candidate, outcome, progress.log);
    }
  }
  return outcome;
}
