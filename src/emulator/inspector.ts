/**
 * The request inspector: the last N Management API requests the emulator answered, for a developer to see what
 * their own code sent (`GET /__emulator/requests`, and live in the dashboard). Each entry says when, what, how it
 * was answered, the scope of the token that allowed it, the rate-limit bucket it drew on and the error message.
 *
 * Only what is safe to show is ever kept: the method, the path (never the query string, never a header, never a
 * body), the status, a scope name and Auth0's error message. Tokens and secrets are never seen by this module.
 */
import type { PlainReply } from "./plain.js";

/** How many requests are kept by default. */
export const DEFAULT_INSPECTOR_CAPACITY = 200;

export interface InspectedRequest {
  /** A number that grows with each request (the dashboard asks for what came after the last one it saw). */
  seq: number;
  /** ISO 8601, when the answer was ready. */
  time: string;
  method: string;
  /** The path, without its query string. */
  path: string;
  /** 0 when a fault dropped the connection. */
  status: number;
  /** The spec's operation, when the path named one. */
  operation?: string;
  /** The scope of the token that allowed the request (the first of the operation's scopes the token held). */
  scope?: string;
  /** The rate-limit bucket the request drew on (`global`: the tenant's one budget), when it drew on one. */
  bucket?: string;
  /** Auth0's error message of a 4xx or 5xx answer. */
  message?: string;
  /** `dashboard` for the emulator's own page, else `api`. */
  source: "api" | "dashboard";
}

/** What the pipeline learns about one request on its way (filled in as it goes). */
export interface RequestNote {
  operation?: string;
  scope?: string;
  bucket?: string;
  source: "api" | "dashboard";
}

function messageOf(reply: PlainReply): string | undefined {
  if (reply.status < 400 || reply.body === null) return undefined;
  try {
    const message = (JSON.parse(reply.body) as { message?: unknown }).message;
    return typeof message === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}

/** An entry as kept: the time as a number (formatted only when someone looks). */
type KeptRequest = Omit<InspectedRequest, "time"> & { at: number };

export class RequestInspector {
  private readonly entries: KeptRequest[] = [];
  private seq = 0;

  constructor(readonly capacity: number = DEFAULT_INSPECTOR_CAPACITY) {
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new TypeError("inspectorCapacity must be a whole number of 0 or more");
  }

  /** Records an answered request (`reply` undefined: the connection was dropped). */
  record(method: string, path: string, note: RequestNote, reply: PlainReply | undefined): void {
    if (this.capacity === 0) return;
    this.seq += 1;
    const entry: KeptRequest = { seq: this.seq, at: Date.now(), method, path, status: reply?.status ?? 0, source: note.source };
    if (note.operation !== undefined) entry.operation = note.operation;
    if (note.scope !== undefined) entry.scope = note.scope;
    if (note.bucket !== undefined) entry.bucket = note.bucket;
    const message = reply === undefined ? "The connection was dropped (fault injection)" : messageOf(reply);
    if (message !== undefined) entry.message = message;
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  /** Newest first; with `after`, only the requests recorded after that `seq`. */
  list(after = 0): InspectedRequest[] {
    const newer = after > 0 ? this.entries.filter((entry) => entry.seq > after) : this.entries;
    return newer.map(({ at, ...entry }) => ({ ...entry, time: new Date(at).toISOString() })).reverse();
  }

  clear(): void {
    this.entries.length = 0;
  }
}
