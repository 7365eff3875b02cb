/**
 * When a failed exchange is worth repeating, and after how long. Pure functions of the answer (or error), the
 * method, how many retries were already made and the clock, so the rules can be read and tested in one place.
 *
 * - 429: Auth0 did not apply the request, so any method may be repeated. Wait what the server asks for —
 *   `Retry-After` first (seconds or an HTTP date), else until `x-ratelimit-reset` (UNIX seconds) — plus jitter
 *   so that many clients do not wake in the same instant. If the server asks for more than `maxDelayMs`, give up
 *   at once: retrying earlier would only be refused again.
 * - 500/502/503/504 and network errors (including timeouts): the request may have been applied, so only methods
 *   in `retryMethods` are repeated, after `Retry-After` when the server sent one, else with exponential backoff.
 *   The `x-ratelimit-*` headers describe the rate-limit budget, not the server's health, so they do not set the
 *   wait after a 5xx (a 503 with a full budget and a window ending in 2 s is worth repeating at once). PATCH is
 *   left out by default: these endpoints set fields to the values sent, but a repeated PATCH can still undo a
 *   change someone else made in between.
 */
import { RATE_LIMIT_HEADERS } from "../../generated/spec-facts.js";

export interface RetryOptions {
  /** Retries after the first attempt. Default 3; 0 turns retries off. */
  maxRetries?: number;
  /** The longest single wait. Default 30 000 ms. */
  maxDelayMs?: number;
  /** The first backoff for server and network errors, doubled on each retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Up to this much random time is added to a wait the server asked for. Default 1 000 ms. */
  jitterMs?: number;
  /** Methods repeated after a 5xx or a network error. Default GET, HEAD, OPTIONS, PUT, DELETE (not POST, not PATCH). */
  retryMethods?: readonly string[];
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY_METHODS: readonly string[] = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];

export function resolveRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy: RetryPolicy = {
    maxRetries: options.maxRetries ?? 3,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    baseDelayMs: options.baseDelayMs ?? 500,
    jitterMs: options.jitterMs ?? 1_000,
    retryMethods: (options.retryMethods ?? DEFAULT_RETRY_METHODS).map((m) => m.toUpperCase()),
  };
  for (const key of ["maxRetries", "maxDelayMs", "baseDelayMs", "jitterMs"] as const) {
    if (!Number.isFinite(policy[key]) || policy[key] < 0) throw new RangeError(`retry.${key} must be a number ≥ 0, got ${String(policy[key])}.`);
  }
  return policy;
}

export type RetryReason = "rate_limited" | "server_error" | "network_error" | "timeout";

export interface RetryPlan {
  delayMs: number;
  reason: RetryReason;
}

/** Why a retryable failure was not retried: the retries ran out, or the server asked for a wait over `maxDelayMs`. */
export type StopReason = "retries_exhausted" | "wait_exceeds_max_delay";

export interface RetryStop {
  stop: StopReason;
  /** For `wait_exceeds_max_delay`: the wait the server asked for, in ms. */
  askedMs?: number;
}

export interface FailedAttempt {
  method: string;
  /** Retries already made for this request. */
  retriesSoFar: number;
  /** The answer, when there was one. */
  response?: Response;
  /** The error, when there was no answer. */
  error?: unknown;
}

const TRANSIENT_SERVER_STATUSES = new Set([500, 502, 503, 504]);

/** The wait a 429 asks for, in ms from `now`: `Retry-After` first, then `x-ratelimit-reset`. */
export function requestedWaitMs(headers: Headers, now: number): number | undefined {
  const retryAfter = retryAfterMs(headers, now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = headers.get(RATE_LIMIT_HEADERS.reset)?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return undefined;
}

/** `Retry-After` (seconds or an HTTP date) as ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function backoffMs(policy: RetryPolicy, retriesSoFar: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retriesSoFar);
  // "Equal jitter": at least half the backoff, so retries never bunch up at zero.
  return ceiling / 2 + random() * (ceiling / 2);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

/**
 * Whether to retry a failed attempt, and after how long. A `RetryStop` says why a failure that could have been
 * retried was not; undefined means the failure is not one to retry at all.
 */
export function planRetry(policy: RetryPolicy, attempt: FailedAttempt, now = Date.now(), random = Math.random): RetryPlan | RetryStop | undefined {
  const retrySafe = policy.retryMethods.includes(attempt.method.toUpperCase());
  const { response } = attempt;
  const exhausted = attempt.retriesSoFar >= policy.maxRetries;

  if (!response) {
    if (!retrySafe) return undefined;
    if (exhausted) return { stop: "retries_exhausted" };
    return { delayMs: backoffMs(policy, attempt.retriesSoFar, random), reason: isTimeout(attempt.error) ? "timeout" : "network_error" };
  }

  const rateLimited = response.status === 429;
  if (!rateLimited && !(retrySafe && TRANSIENT_SERVER_STATUSES.has(response.status))) return undefined;
  if (exhausted) return { stop: "retries_exhausted" };

  const reason: RetryReason = rateLimited ? "rate_limited" : "server_error";
  const asked = rateLimited ? requestedWaitMs(response.headers, now) : retryAfterMs(response.headers, now);
  if (asked === undefined) return { delayMs: backoffMs(policy, attempt.retriesSoFar, random), reason };
  if (asked > policy.maxDelayMs) return { stop: "wait_exceeds_max_delay", askedMs: asked };
  return { delayMs: Math.min(policy.maxDelayMs, asked + random() * policy.jitterMs), reason };
}

/** How a call that was given up on ended, for error messages: `after 4 attempts: retries exhausted (maxRetries 3)`. */
export function describeGivingUp(attempts: number, stop: RetryStop, policy: RetryPolicy): string {
  const tries = `after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
  if (stop.stop === "retries_exhausted") return `${tries}: retries exhausted (maxRetries ${policy.maxRetries})`;
  return `${tries}: the server asked to wait ${Math.ceil(stop.askedMs ?? 0)} ms, more than maxDelayMs ${policy.maxDelayMs}`;
}

/** What the client reports before each retry (never a token or a body). */
export interface RetryEvent {
  method: string;
  /** The requested path, without origin or query. */
  path: string;
  /** How many times the request will have been repeated, this one included (1 for the first repeat). */
  retry: number;
  delayMs: number;
  reason: RetryReason | "token_refresh";
  /** The status that caused the retry, when there was an answer. */
  status?: number;
}
