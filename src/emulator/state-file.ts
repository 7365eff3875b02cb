/**
 * State that survives a restart: `--state FILE` (CLI) and `createEmulator({ state })`. The file holds each tenant's
 * contents in the seed format, keyed by the tenant's domain, so that an emulator serving several tenants can keep
 * them in one file:
 *
 *   { "format": "auth0-emulator-state", "version": 1, "tenants": { "emulator.local": { "organizations": [...], ... } } }
 *
 * It is written after every change (at most every WRITE_DELAY_MS) and when the emulator stops, always whole: the
 * new contents go to a temporary file beside it, are flushed to disk, and replace the old file by a rename, so a
 * process killed at any moment (SIGKILL included) leaves either the old file or the new one, never half of one.
 *
 * Client secrets are never written (secrets stay out of files the tools write): an application keeps getting tokens
 * after a restart when the seed given beside the state file still names its secret.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import type { SeedClient, SeedData } from "./types.js";

export const STATE_FORMAT = "auth0-emulator-state";
export const STATE_VERSION = 1;
/** How long changes are gathered before the file is written (a burst of API calls becomes one write). */
export const WRITE_DELAY_MS = 25;

/** A state file that cannot be used: unreadable, not JSON, not an emulator's tenant file, or another tenant's. */
export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateFileError";
  }
}

interface StateDocument {
  format: typeof STATE_FORMAT;
  version: number;
  tenants: Record<string, SeedData>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The whole document, or undefined when there is no file yet (the emulator then starts from its seed). */
function readDocument(file: string): StateDocument | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new StateFileError(`Cannot read the state file ${file}: ${code ?? String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(`The state file ${file} is not an emulator tenant: it is not valid JSON (${(error as Error).message}).`);
  }
  if (!isObject(parsed) || parsed.format !== STATE_FORMAT || !isObject(parsed.tenants)) {
    throw new StateFileError(
      `The state file ${file} is not an emulator tenant: it has no "format": "${STATE_FORMAT}" and "tenants" (a seed file goes to --seed).`,
    );
  }
  if (parsed.version !== STATE_VERSION)
    throw new StateFileError(`The state file ${file} has version ${String(parsed.version)}; this emulator reads version ${STATE_VERSION}.`);
  for (const [domain, tenant] of Object.entries(parsed.tenants)) {
    if (!isObject(tenant)) throw new StateFileError(`The state file ${file} is not an emulator tenant: tenants["${domain}"] is not an object.`);
  }
  return parsed as unknown as StateDocument;
}

/**
 * The tenant `domain` holds in the file, or undefined when there is no file yet. A file that holds other tenants
 * but not this one is refused (starting empty would write over work kept under another domain).
 */
export function readTenantState(file: string, domain: string): SeedData | undefined {
  const document = readDocument(file);
  if (!document) return undefined;
  const tenant = document.tenants[domain];
  if (tenant === undefined) {
    const held = Object.keys(document.tenants);
    throw new StateFileError(
      `The state file ${file} holds no tenant for ${domain}${held.length > 0 ? ` (it holds ${held.join(", ")}; start with --domain ${held[0]})` : ""}.`,
    );
  }
  return tenant;
}

/** The saved tenant with the secrets (and token scopes) the seed gives its applications: the file never has them. */
export function withSeedCredentials(saved: SeedData, seed: SeedData | undefined): SeedData {
  const credentials = new Map<string, SeedClient>((seed?.clients ?? []).map((client) => [client.client_id, client]));
  if (!saved.clients || credentials.size === 0) return saved;
  return {
    ...saved,
    clients: saved.clients.map((client) => {
      const fromSeed = credentials.get(client.client_id);
      return fromSeed?.client_secret === undefined ? client : { ...client, client_secret: fromSeed.client_secret };
    }),
  };
}

/** Writes the document whole: a temporary file, flushed, then renamed over the old one. */
function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, file);
}

/**
 * Keeps one tenant's file up to date: `changed()` schedules a write, `flush()` writes now if anything is pending.
 * Other tenants found in the file are kept as they were.
 */
export class TenantStateFile {
  private timer: NodeJS.Timeout | undefined;
  private pending = false;
  private readonly others: Record<string, SeedData>;

  constructor(
    readonly file: string,
    private readonly domain: string,
    /** The tenant's contents now, without client secrets. */
    private readonly snapshot: () => SeedData,
  ) {
    const { [domain]: _own, ...others } = readDocument(file)?.tenants ?? {};
    this.others = others;
    openFiles.add(this);
    if (openFiles.size === 1) process.once("exit", flushOpenFiles);
  }

  changed(): void {
    this.pending = true;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), WRITE_DELAY_MS);
    this.timer.unref();
  }

  /** Writes now when a change is pending (or when `force` says to, e.g. the first write of a new file). */
  flush(force = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending && !force) return;
    this.pending = false;
    const document: StateDocument = { format: STATE_FORMAT, version: STATE_VERSION, tenants: { ...this.others, [this.domain]: this.snapshot() } };
    try {
      writeAtomically(this.file, `${JSON.stringify(document, null, 1)}\n`);
    } catch (error) {
      // The emulator keeps serving; the next change tries again.
      this.pending = true;
      console.error(`auth0-emulator: could not write the state file ${this.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  /** Writes what is pending and stops watching for the process's end. */
  close(): void {
    this.flush();
    openFiles.delete(this);
    if (openFiles.size === 0) process.off("exit", flushOpenFiles);
  }
}

/** The state files still kept: a process that ends normally (not by a signal) writes what their last milliseconds changed. */
const openFiles = new Set<TenantStateFile>();
function flushOpenFiles(): void {
  for (const file of openFiles) file.flush();
}
