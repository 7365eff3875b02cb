/**
 * Auth0's global rate limit, as a fixed window: every Management API response carries `x-ratelimit-limit`,
 * `x-ratelimit-remaining` and `x-ratelimit-reset` (UNIX seconds), and a request past the limit gets a 429.
 */
import type { RateLimitOptions } from "./types.js";

/**
 * Shaped like Auth0's budget, which refills every second (so `x-ratelimit-reset` is at most a second or two ahead
 * and clients that wait for it, such as the official SDK, retry promptly), but generous enough that tests and
 * benchmarks never meet it unless they ask for a tighter limit.
 */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 100_000, windowMs: 1_000 };

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private windowStart = 0;
  private used = 0;
  private readonly settings: RateLimitOptions;
  private readonly enforced: boolean;
  /** The header values that change once per window or never, as text (made once, not on every request). */
  private readonly limitText: string;
  private resetText = "";

  constructor(options: RateLimitOptions | false | undefined) {
    this.enforced = options !== false;
    this.settings = options === false || options === undefined ? DEFAULT_RATE_LIMIT : options;
    if (!(Number.isInteger(this.settings.limit) && this.settings.limit >= 0 && this.settings.windowMs > 0)) {
      throw new TypeError("rateLimit needs a whole-number limit of 0 or more and a positive windowMs");
    }
    this.limitText = String(this.settings.limit);
    this.resetText = this.resetAt();
  }

  /** Counts one request and says whether it may go ahead. */
  take(now = Date.now()): RateLimitDecision {
    this.roll(now);
    const allowed = !this.enforced || this.used < this.settings.limit;
    if (allowed) this.used += 1;
    return { allowed, headers: this.headers(false, now) };
  }

  /** The headers as they stand, without counting a request (used for forced 429s). */
  headers(exhausted = false, now = Date.now()): Record<string, string> {
    this.roll(now);
    return {
      "x-ratelimit-limit": this.limitText,
      "x-ratelimit-remaining": exhausted ? "0" : String(Math.max(0, this.settings.limit - this.used)),
      "x-ratelimit-reset": this.resetText,
    };
  }

  /** `x-ratelimit-reset`: when the current window ends, in UNIX seconds. */
  private resetAt(): string {
    return String(Math.ceil((this.windowStart + this.settings.windowMs) / 1000));
  }

  private roll(now: number): void {
    if (now >= this.windowStart + this.settings.windowMs) {
      this.windowStart = now;
      this.used = 0;
      this.resetText = this.resetAt();
    }
  }

  /** The settings in force and the current window, for the dashboard. */
  describe(now = Date.now()): { enforced: boolean; limit: number; windowMs: number; remaining: number; resetAt: number } {
    this.roll(now);
    return { enforced: this.enforced, ...this.settings, remaining: Math.max(0, this.settings.limit - this.used), resetAt: this.windowStart + this.settings.windowMs };
  }

  reset(): void {
    this.windowStart = 0;
    this.used = 0;
    this.resetText = this.resetAt();
  }
}
