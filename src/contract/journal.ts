/**
 * The journal of every resource a contract run creates, written as soon as each one exists, so that
 * `contract --cleanup` can remove what a killed run left behind.
 *
 * One file per run in a directory (default `.contract-journal/<run id>.json`), so runs going on at the same time
 * never write the same file. Each write goes to a fresh temporary file in the same directory, created `0600` with
 * O_EXCL|O_NOFOLLOW (a planted file or symlink is never followed or reused), then renamed over the run's file, so
 * a reader sees the old or the new journal, never half of one. A directory that is a symlink, belongs to another
 * user or that others can write to is refused: whoever can write to it can delete a killed run's journal (the
 * clean-up then finds nothing) or plant one. A directory the run made (it leaves a marker file in it) is removed
 * with the last run file; one the user made is never removed.
 *
 * Format (`version: 2`): `{ version, runId, target, startedAt, created: [{ kind, id, name }] }` — `target` is the API
 * base URL, `created` oldest first. Clean-up deletes an entry only if the resource still carries the run's name
 * prefix (see cleanup.ts).
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  type Stats,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { ContractUsageError } from "./errors.js";
import { RUN_ID, runNamePrefix } from "./run-id.js";

export type ResourceKind = "organization" | "connection";

export interface JournalEntry {
  kind: ResourceKind;
  id: string;
  /** The name the run gave it. */
  name: string;
}

interface RunFile {
  version: 2;
  runId: string;
  target: string;
  startedAt: string;
  created: JournalEntry[];
}

export const DEFAULT_JOURNAL_DIR = ".contract-journal";

/** Before any work: an existing journal directory must be a real directory (created later, at the first entry). */
export function checkJournalDir(dir: string): void {
  try {
    lstatSync(dir); // not existsSync: it follows a symlink, and a dangling one would pass
  } catch {
    return;
  }
  ensureJournalDir(dir);
}

/** In a journal directory the run made itself (and may therefore remove once it is empty). */
const MADE_BY_RUN_MARKER = ".made-by-contract-run";

/** Refuses a directory that is not a real directory of the user's own, writable by nobody else. */
function checkTrusted(dir: string, stats: Stats): void {
  if (stats.isSymbolicLink()) throw new ContractUsageError(`refusing to use the journal directory ${dir}: it is a symbolic link`);
  if (!stats.isDirectory()) throw new ContractUsageError(`the journal directory ${dir} is not a directory`);
  const uid = process.getuid?.();
  // Windows has no owner ids or mode bits to check.
  if (uid === undefined) return;
  if (stats.uid !== uid)
    throw new ContractUsageError(
      `refusing to use the journal directory ${dir}: it belongs to another user (uid ${stats.uid}); use a directory of your own (--journal DIR)`,
    );
  if ((stats.mode & 0o022) !== 0) {
    throw new ContractUsageError(
      `refusing to use the journal directory ${dir}: other users can write to it (mode ${(stats.mode & 0o777).toString(8)}); run chmod go-w on it or use another (--journal DIR)`,
    );
  }
}

/** Makes sure the journal directory exists and can be trusted (see checkTrusted). */
export function ensureJournalDir(dir: string): void {
  let stats;
  try {
    stats = lstatSync(dir);
  } catch {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(dir, MADE_BY_RUN_MARKER), "", { mode: 0o600 });
    stats = lstatSync(dir);
  }
  checkTrusted(dir, stats);
}

function writeAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

function readRunFile(file: string): RunFile | undefined {
  let fd;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined; // gone, or a symlink: not a journal this tool wrote
  }
  try {
    const parsed = JSON.parse(readFileSync(fd, "utf8")) as RunFile;
    return parsed.version === 2 && RUN_ID.test(parsed.runId) && Array.isArray(parsed.created) ? parsed : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export class Journal {
  private readonly file: string;
  private readonly record_: RunFile;

  constructor(
    private readonly dir: string,
    readonly runId: string,
    readonly target: string,
    created: JournalEntry[] = [],
  ) {
    this.file = path.join(dir, `${runId}.json`);
    this.record_ = { version: 2, runId, target, startedAt: new Date().toISOString(), created: [...created] };
  }

  /** The prefix every resource of this run is named with. */
  get namePrefix(): string {
    return runNamePrefix(this.runId);
  }

  /** Records a resource the run has just created. */
  record(entry: JournalEntry): void {
    this.record_.created.push(entry);
    this.save();
  }

  /** Forgets a resource once it has been deleted (or found to be someone else's). */
  forget(entry: Pick<JournalEntry, "kind" | "id">): void {
    this.record_.created = this.record_.created.filter((e) => !(e.kind === entry.kind && e.id === entry.id));
    this.save();
  }

  /** The resources this run created and has not yet deleted, newest first. */
  pending(): JournalEntry[] {
    return [...this.record_.created].reverse();
  }

  /** Removes the run's file whatever it holds (a throw-away target is gone with the run). */
  discard(): void {
    rmSync(this.file, { force: true });
    removeIfMadeByRunAndEmpty(this.dir);
  }

  private save(): void {
    if (this.record_.created.length === 0) return this.discard();
    ensureJournalDir(this.dir);
    writeAtomically(this.file, `${JSON.stringify(this.record_, null, 2)}\n`);
  }
}

/** Removes a journal directory a run made once nothing but its marker is left; never one the user made. */
function removeIfMadeByRunAndEmpty(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // already gone
  }
  if (names.length !== 1 || names[0] !== MADE_BY_RUN_MARKER) return;
  try {
    rmSync(path.join(dir, MADE_BY_RUN_MARKER), { force: true });
    rmdirSync(dir); // fails if another run has just written its file: then the directory stays, as it should
  } catch {
    // another run's file arrived meanwhile
  }
}

/** The journals of earlier runs against a target, each with what it left behind. */
export function leftoverJournals(dir: string, target: string): Journal[] {
  try {
    lstatSync(dir);
  } catch {
    return []; // no journal directory: no run left anything behind here
  }
  ensureJournalDir(dir);
  const names = readdirSync(dir);
  return names
    .filter((name) => RUN_ID.test(name.replace(/\.json$/, "")) && name.endsWith(".json"))
    .map((name) => readRunFile(path.join(dir, name)))
    .filter((run): run is RunFile => run !== undefined && run.target === target)
    .map((run) => new Journal(dir, run.runId, run.target, run.created));
}
