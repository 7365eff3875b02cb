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

/** What the pipeline learns about one request on its way (filled in as it goes; made by `newNote`, of one shape). */
export interface RequestNote {
  operation: string | undefined;
  scope: string | undefined;
  bucket: string | undefined;
  source: "api" | "dashboard";
}

export const newNote = (source: RequestNote["source"]): RequestNote => ({ operation: undefined, scope: undefined, bucket: undefined, source });

const DROPPED = "The connection was dropped (fault injection)";

function messageOf(reply: PlainReply): string | undefined {
  if (reply.status < 400 || reply.body === null) return undefined;
  try {
    const message = (JSON.parse(reply.body) as { message?: unknown }).message;
    return typeof message === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}

/** An entry as kept: the time as a number (formatted only when someone looks), every field present. */
interface KeptRequest extends Pick<InspectedRequest, "seq" | "method" | "path" | "status" | "source"> {
  at: number;
  operation: string | undefined;
  scope: string | undefined;
  bucket: string | undefined;
  message: string | undefined;
}

export class RequestInspector {
  /** A ring: the newest entry is at `(next - 1) mod capacity`; recording is O(1) on every request. */
  private readonly entries: Array<KeptRequest | undefined>;
  private next = 0;
  private seq = 0;

  constructor(readonly capacity: number = DEFAULT_INSPECTOR_CAPACITY) {
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new TypeError("inspectorCapacity must be a whole number of 0 or more");
    this.entries = new Array<KeptRequest | undefined>(capacity).fill(undefined);
  }

  /** Records an answered request (`reply` undefined: the connection was dropped). One object of one shape per request. */
  record(method: string, path: string, note: RequestNote, reply: PlainReply | undefined): void {
    if (this.capacity === 0) return;
    this.seq += 1;
    this.entries[this.next] = {
      seq: this.seq,
      at: Date.now(),
      method,
      path,
      status: reply?.status ?? 0,
      operation: note.operation,
      scope: note.scope,
      bucket: note.bucket,
      message: reply === undefined ? DROPPED : messageOf(reply),
      source: note.source,
    };
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first; with `after`, only the requests recorded after that `seq`. */
  list(after = 0): InspectedRequest[] {
    const newestFirst: InspectedRequest[] = [];
    for (let step = 1; step <= this.capacity; step += 1) {
      const entry = this.entries[(this.next - step + this.capacity) % this.capacity];
      if (entry === undefined || entry.seq <= after) break;
      const { at, ...kept } = entry;
      // Fields without a value are left out rather than shown as null.
      const shown = Object.fromEntries(Object.entries(kept).filter(([, value]) => value !== undefined)) as Omit<InspectedRequest, "time">;
      newestFirst.push({ ...shown, time: new Date(at).toISOString() });
    }
    return newestFirst;
  }

  clear(): void {
    this.entries.fill(undefined);
  }
}
