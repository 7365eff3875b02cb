/**
 * `ManagementApiError`: one error type for every failed answer, carrying Auth0's error fields, the rate-limit
 * figures and which request failed. It never holds the request itself, so no token can leak through it.
 */
import { isAuth0ErrorBody, REASON_PHRASES } from "../shared/auth0-error.js";
import { readRateLimit, type RateLimit } from "./rate-limit.js";
import type { StopReason } from "./retry-policy.js";

export interface ManagementApiErrorDetails {
  /** The HTTP status of the answer. */
  statusCode: number;
  /** The reason phrase Auth0 sent, such as `Forbidden`. */
  error: string;
  /** Auth0's explanation, such as `Insufficient scope, expected any of: read:organization_connections` (the error's `detail`). */
  message: string;
  /** Auth0's machine-readable code, such as `insufficient_scope`; often absent. */
  errorCode?: string | undefined;
  /** The rate-limit figures of the failed answer. */
  rateLimit?: RateLimit | undefined;
  /** The request method, upper case. */
  method: string;
  /** The path that was requested, such as `/api/v2/organizations/org_1/connections` (no origin, no query). */
  path: string;
  /** When the client retried or gave up on a retryable failure: how many attempts it made, and why it stopped. */
  givingUp?: GivingUp | undefined;
}

/** How the client ended a call it could have retried. */
export interface GivingUp {
  attempts: number;
  stoppedBecause: StopReason;
  /** For messages, e.g. `after 4 attempts: retries exhausted (maxRetries 3)`. */
  description: string;
}

/**
 * A failed answer. Its `message` names the request and the answer (`POST /api/v2/organizations answered 403
 * Forbidden (insufficient_scope): Insufficient scope, ...`), so a test runner or log that prints only the message
 * still says what failed; the server's own explanation alone is `detail`.
 */
export class ManagementApiError extends Error {
  override readonly name = "ManagementApiError";
  /** The server's explanation alone (Auth0's `message` field), secrets redacted. */
  readonly detail: string;
  readonly statusCode: number;
  readonly error: string;
  readonly errorCode: string | undefined;
  readonly rateLimit: RateLimit | undefined;
  readonly method: string;
  readonly path: string;
  /** Attempts made, when the client retried or could have (set only then). */
  declare readonly attempts?: number;
  /** Why the client stopped retrying (set only when it could have retried). */
  declare readonly stoppedBecause?: StopReason;

  constructor(details: ManagementApiErrorDetails) {
    const code = details.errorCode ? ` (${details.errorCode})` : "";
    const summary = `${details.method} ${details.path} answered ${details.statusCode} ${details.error}${code}: ${details.message}`;
    super(details.givingUp ? `${summary} (${details.givingUp.description})` : summary);
    this.detail = details.message;
    this.statusCode = details.statusCode;
    this.error = details.error;
    this.errorCode = details.errorCode;
    this.rateLimit = details.rateLimit;
    this.method = details.method;
    this.path = details.path;
    if (details.givingUp) Object.assign(this, { attempts: details.givingUp.attempts, stoppedBecause: details.givingUp.stoppedBecause });
  }
}

// A proxy's HTML error page can be long; the start says enough.
const MAX_TEXT_MESSAGE = 300;
/** How much of an error body is read at most (decoded); the rest is never read. */
export { MAX_BUFFERED_BODY_BYTES as MAX_ERROR_BODY_BYTES } from "./send.js";

function reasonPhrase(status: number, statusText: string): string {
  return statusText || REASON_PHRASES[status] || "Error";
}

/** OAuth 2 token endpoints answer `{ error, error_description }` rather than Auth0's Management API shape. */
function isOAuthErrorBody(value: unknown): value is { error: string; error_description?: string } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.error === "string" && (v.error_description === undefined || typeof v.error_description === "string");
}

/**
 * A request that got no answer (the host is unreachable, the connection was refused or dropped). A TypeError, like
 * the fetch failure it wraps (kept as `cause`), naming the request (secrets redacted) and the attempts made.
 */
export class ManagementNetworkError extends TypeError {
  override readonly name = "ManagementNetworkError";
  readonly method: string;
  /** The URL requested, with any secret in it redacted. */
  readonly url: string;
  readonly attempts: number;
  declare readonly stoppedBecause?: StopReason;

  constructor(details: { method: string; url: string; cause: unknown; attempts: number; givingUp?: GivingUp | undefined; redact: (text: string) => string }) {
    const url = details.redact(details.url);
    scrubCauses(details.cause, details.redact);
    const why = describeCause(details.cause);
    super(details.redact(`${details.method} ${url} failed: ${why}${details.givingUp ? ` (${details.givingUp.description})` : ""}`), { cause: details.cause });
    this.method = details.method;
    this.url = url;
    this.attempts = details.attempts;
    if (details.givingUp) Object.assign(this, { stoppedBecause: details.givingUp.stoppedBecause });
  }
}

/**
 * The errors a fetch throws (and their causes) are kept as `cause`, and whoever logs an error logs its causes too:
 * their messages are scrubbed in place, as deep as a cause chain reasonably goes.
 */
function scrubCauses(error: unknown, redact: (text: string) => string): void {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const scrubbed = redact(current.message);
    if (scrubbed !== current.message) Object.defineProperty(current, "message", { value: scrubbed, writable: true, configurable: true });
  }
}

/** `fetch failed (ECONNREFUSED)`: the error's message with the system error code undici keeps in its cause. */
function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof inner?.code === "string" ? inner.code : typeof inner?.message === "string" ? inner.message : undefined;
  return code ? `${error.message} (${code})` : error.message;
}

export interface FailedAnswer {
  /** The error body as openapi-fetch parsed it: JSON when it was JSON, else the text, else undefined. */
  body: unknown;
  response: Response;
  method: string;
  path: string;
  /** Scrubs secrets from text that came from the server. */
  redact: (text: string) => string;
  givingUp?: GivingUp | undefined;
}

/** Builds the error for a failed answer, whatever its body looks like (Auth0 JSON, OAuth JSON, text, empty). */
export function errorFromAnswer({ body, response, method, path, redact, givingUp }: FailedAnswer): ManagementApiError {
  const statusCode = response.status;
  const rateLimit = readRateLimit(response.headers);
  const base = { statusCode, rateLimit, method, path, givingUp };
  if (isAuth0ErrorBody(body)) {
    return new ManagementApiError({ ...base, error: body.error, message: redact(body.message), errorCode: body.errorCode });
  }
  const error = reasonPhrase(statusCode, response.statusText);
  if (isOAuthErrorBody(body)) {
    return new ManagementApiError({ ...base, error, message: redact(body.error_description ?? body.error), errorCode: body.error });
  }
  const text = typeof body === "string" ? body.trim() : body === undefined || body === null ? "" : JSON.stringify(body);
  // Redacted before it is cut: a cut first could leave the start of a secret that redaction no longer recognises.
  const redacted = text ? redact(text.slice(0, MAX_TEXT_MESSAGE * 4)) : "";
  const message = redacted
    ? redacted.length > MAX_TEXT_MESSAGE || text.length > MAX_TEXT_MESSAGE * 4
      ? `${redacted.slice(0, MAX_TEXT_MESSAGE)}…`
      : redacted
    : `The server answered ${statusCode} ${error} with an empty body.`;
  return new ManagementApiError({ ...base, error, message });
}

/** Reads a (buffered, so bounded) response's body the way openapi-fetch does for errors: JSON when it parses, else the text. */
export async function readErrorBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
