/**
 * One rate-limit budget per client, shared by all its calls. Auth0's limit is per tenant, and every answer says
 * how much of the current window is left (`x-ratelimit-remaining`) and when it resets (`x-ratelimit-reset`).
 * Without sharing, concurrent calls that hit the limit each wait for the reset and then all retry at the same
 * instant, and most are refused again. With it, a call is sent only while the budget has room; the others queue
 * and are let through a window's worth at a time.
 *
 * - Until an answer tells the figures, calls are sent as they come.
 * - An answer without the headers (not Auth0, or a proxy that strips them) turns the budget off.
 * - Within a window the lowest `remaining` seen wins (other clients use the same budget); each send takes one.
 * - When the reset time passes, `limit` queued calls go, and the answers they bring set the new window. Should no
 *   answer come (network errors), another `limit` go a second later, so the queue always moves.
 */
import type { RateLimit } from "./rate-limit.js";

// Auth0's reset is in whole seconds: the shortest window worth waiting for when nothing better is known.
const RECHECK_MS = 1_000;

type State = "unknown" | "known" | "off";

export class RateBudget {
  #state: State = "unknown";
  #limit = 1;
  #remaining = 0;
  /** Epoch ms at which the current window ends (0 when not known). */
  #resetAt = 0;
  readonly #waiting: Array<() => void> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Undefined when a request may be sent now (and takes its place in the budget), else a promise for when it may.
   * A request is never held back longer than `maxWaitMs` (the client's `maxDelayMs`): past that it is sent, and the
   * retry policy decides what to do with the 429 — as it would without a budget.
   */
  acquire(maxWaitMs = Number.POSITIVE_INFINITY): Promise<void> | undefined {
    if (this.#waiting.length === 0 && this.#take()) return undefined;
    if (this.#state === "known" && Number.isFinite(this.#resetAt) && this.#resetAt - Date.now() > maxWaitMs) return undefined;
    return new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      this.#schedule();
    });
  }

  /**
   * What an answer said about the budget; undefined when it carried no rate-limit headers. `retryAfterAt` (epoch
   * ms, from a 429's `Retry-After`) is the server's own word on when to come back, and ends the window then.
   */
  observe(rateLimit: RateLimit | undefined, retryAfterAt?: number, now = Date.now()): void {
    if (!rateLimit || rateLimit.remaining === undefined || rateLimit.reset === undefined) {
      if (this.#state !== "known") this.#state = "off";
      this.#release();
      return;
    }
    if (rateLimit.limit !== undefined && rateLimit.limit > 0) this.#limit = rateLimit.limit;
    const resetAt = rateLimit.reset * 1000;
    if (resetAt <= now) {
      // That window is over: it says nothing about the current one.
      if (this.#state !== "known") {
        this.#state = "known";
        this.#newWindow();
      }
    } else if (this.#state !== "known" || (Number.isFinite(this.#resetAt) && resetAt > this.#resetAt)) {
      this.#state = "known";
      this.#resetAt = resetAt;
      this.#remaining = rateLimit.remaining;
    } else if (!Number.isFinite(this.#resetAt) || resetAt === this.#resetAt) {
      // The end of the window opened locally, or more news of the current one: the lower count is the newer.
      this.#resetAt = resetAt;
      this.#remaining = Math.min(this.#remaining, rateLimit.remaining);
    }
    if (retryAfterAt !== undefined && this.#state === "known" && retryAfterAt < this.#resetAt) this.#resetAt = retryAfterAt;
    this.#release();
  }


  #take(now = Date.now()): boolean {
    switch (this.#state) {
      case "off":
      case "unknown":
        return true;
      case "known":
        if (now >= this.#resetAt) this.#newWindow();
        if (this.#remaining <= 0) return false;
        this.#remaining -= 1;
        return true;
    }
  }

  /** The window has passed: a fresh one of `limit` requests, whose end the next answer will tell. */
  #newWindow(): void {
    this.#remaining = this.#limit;
    this.#resetAt = Number.POSITIVE_INFINITY;
  }

  #release(): void {
    while (this.#waiting.length > 0 && this.#take()) this.#waiting.shift()!();
    this.#schedule();
  }

  /** Wakes the queue at the reset (or a second from now when the reset is not known). */
  #schedule(): void {
    if (this.#timer !== undefined || this.#waiting.length === 0 || this.#state !== "known") return;
    const now = Date.now();
    const wait = Number.isFinite(this.#resetAt) ? Math.max(0, this.#resetAt - now) : RECHECK_MS;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // No answer set a new window since the last one was opened: open another, so the queue keeps moving.
      if (!Number.isFinite(this.#resetAt)) this.#resetAt = Date.now();
      this.#release();
    }, wait);
  }
}
