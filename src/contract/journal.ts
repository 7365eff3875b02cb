/**
 * A journal of every resource a contract run creates, written to disk as soon as each one exists, so that
 * `contract --cleanup` can remove the leftovers of a run that was killed before it could clean up after itself.
 * Writes are atomic (temporary file + rename): an interrupted write never leaves a half-written journal.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";

export type ResourceKind = "organization" | "connection";

export interface JournalEntry {
  kind: ResourceKind;
  id: string;
}

interface RunRecord {
  /** The API base URL the run targeted; cleanup only touches runs of the same target. */
  target: string;
  startedAt: string;
  created: JournalEntry[];
}

interface JournalFile {
  version: 1;
  runs: Record<string, RunRecord>;
}

export const DEFAULT_JOURNAL_FILE = ".contract-journal.json";

function read(file: string): JournalFile {
  if (!existsSync(file)) return { version: 1, runs: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as JournalFile;
    if (parsed.version === 1 && typeof parsed.runs === "object" && parsed.runs !== null) return parsed;
  } catch {
    // fall through to the error below
  }
  throw new Error(`the contract journal ${file} is not readable; move it away to start afresh`);
}

function write(file: string, journal: JournalFile): void {
  if (Object.keys(journal.runs).length === 0) {
    rmSync(file, { force: true });
    return;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(journal, null, 2)}\n`);
  renameSync(temporary, file);
}

export class Journal {
  constructor(
    private readonly file: string,
    private readonly runId: string,
    private readonly target: string,
  ) {}

  /** Records a resource the run has just created. */
  record(entry: JournalEntry): void {
    const journal = read(this.file);
    const run = (journal.runs[this.runId] ??= { target: this.target, startedAt: new Date().toISOString(), created: [] });
    run.created.push(entry);
    write(this.file, journal);
  }

  /** Forgets a resource once it has been deleted. */
  forget(entry: JournalEntry): void {
    forgetEntry(this.file, this.runId, entry);
  }

  /** The resources this run created and has not yet deleted, newest first. */
  pending(): JournalEntry[] {
    return [...(read(this.file).runs[this.runId]?.created ?? [])].reverse();
  }
}

function forgetEntry(file: string, runId: string, entry: JournalEntry): void {
  const journal = read(file);
  const run = journal.runs[runId];
  if (!run) return;
  run.created = run.created.filter((e) => !(e.kind === entry.kind && e.id === entry.id));
  if (run.created.length === 0) delete journal.runs[runId];
  write(file, journal);
}

/** Every run recorded for a target, with what it left behind (newest resource first). */
export function leftoverRuns(file: string, target: string): Array<{ runId: string; entries: JournalEntry[] }> {
  return Object.entries(read(file).runs)
    .filter(([, run]) => run.target === target)
    .map(([runId, run]) => ({ runId, entries: [...run.created].reverse() }));
}

/** A journal handle for an earlier run, used by `--cleanup`. */
export function journalForRun(file: string, runId: string, target: string): Journal {
  return new Journal(file, runId, target);
}
