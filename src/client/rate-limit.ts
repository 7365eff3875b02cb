/**
 * Auth0's rate-limit headers, read into numbers. Every Management API answer carries them; the client keeps the
 * last figures it saw so callers can slow down before they hit a 429.
 */
import { RATE_LIMIT_HEADERS } from "../../generated/spec-facts.js";

/** The rate-limit figures of one response. A field is undefined when its header was missing or not a number. */
export interface RateLimit {
  /** `x-ratelimit-limit`: requests allowed in the current window. */
  limit: number | undefined;
  /** `x-ratelimit-remaining`: requests left in the current window. */
  remaining: number | undefined;
  /** `x-ratelimit-reset`: when the window resets, as UNIX time in seconds. */
  reset: number | undefined;
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** Reads the rate-limit headers of a response; undefined when it carries none of them. */
export function readRateLimit(headers: Headers): RateLimit | undefined {
  const rateLimit: RateLimit = {
    limit: headerNumber(headers, RATE_LIMIT_HEADERS.limit),
    remaining: headerNumber(headers, RATE_LIMIT_HEADERS.remaining),
    reset: headerNumber(headers, RATE_LIMIT_HEADERS.reset),
  };
  if (rateLimit.limit === undefined && rateLimit.remaining === undefined && rateLimit.reset === undefined) return undefined;
  return rateLimit;
}
