/**
 * One pacer per contract run: every request the run sends — Dredd's transactions (through the loopback proxy), the
 * fixtures, probes and clean-up — waits its turn here. Requests go one at a time, because the decision when to
 * send the next one depends on the rate-limit headers of the last answer:
 * - at most `maxRps` requests per second (`--max-rps`, for tenants shared with other work);
 * - when `x-ratelimit-remaining` reaches 0, wait until the window ends: `x-ratelimit-reset` says so to the second
 *   only, so the pacer also learns an upper bound of the window's length from the answers (see WindowEstimate) and
 *   sends as soon as the window has certainly ended — never earlier, so it never provokes a 429 itself;
 * - a 429 was not applied, so the request is sent again after `Retry-After` (else the reset), a bounded number
 *   of times — unless the request is the one transaction that is meant to see the 429.
 * A run therefore fails only when the contract is broken, never because the tenant is slow or strict.
 */
import { readRateLimit } from "../client/rate-limit.js";
import { requestedWaitMs } from "../client/retry-policy.js";

export interface PacerOptions {
  /** Never more than this many requests per second. */
  maxRps?: number;
  /** How often a request answered 429 is sent again. Default 8. */
  max429Retries?: number;
  /** Waits at least this long are announced (what for, and how long). Default 2 s. */
  announceWaitsFromMs?: number;
  /** The longest single wait; a server asking for more is not waited for. Default MAX_WAIT_MS. */
  maxWaitMs?: number;
  log?: (line: string) => void;
}

export interface PacedSend {
  /** What is being sent, for progress lines: e.g. `GET /api/v2/organizations/org_…`. */
  label: string;
  /** Sends the request once. Called again after a 429 (each call must send a fresh request). */
  send: () => Promise<Response>;
  /** The transaction expects a 429: hand it over instead of repeating the request. */
  expect429?: boolean;
}

export interface PacerStats {
  /** Requests that reached the server, repeats included. */
  sent: number;
  /** Of those, repeats after a 429. */
  repeated429: number;
  /** Time spent waiting for the rate limit, in ms. */
  waitedMs: number;
  /** From the first request sent to the last answer, in ms: the span the achieved rate is measured over. */
  activeMs: number;
}

/** The longest the pacer waits for a rate limit at once (callers' timeouts must allow for it). */
export const MAX_WAIT_MS = 120_000;

/**
 * What the answers tell about the rate-limit window. The answer with `remaining = limit - 1` was the window's first
 * request: the window opened after that request was sent and before its answer came, and it ends by `reset`. So
 * `reset - sentAt` bounds the window's length from above; the smallest bound seen is kept. The current window then
 * ends by `openedBy + longest` (openedBy = when its first answer came), often well before the rounded-up reset.
 */
class WindowEstimate {
  private longestMs: number | undefined;
  private openedByMs: number | undefined;
  /** Cleared by an unexpected 429: the server does not work the way the estimate assumes. */
  private trusted = true;

  observe(limit: number | undefined, remaining: number | undefined, resetMs: number | undefined, sentAt: number, answeredAt: number): void {
    if (limit === undefined || remaining === undefined || resetMs === undefined || remaining !== limit - 1) return;
    this.openedByMs = answeredAt;
    this.longestMs = Math.min(this.longestMs ?? Number.POSITIVE_INFINITY, resetMs - sentAt);
  }

  distrust(): void {
    this.trusted = false;
  }

  /** When the current window has certainly ended, if the answers allow saying so. */
  endsBy(): number | undefined {
    return this.trusted && this.openedByMs !== undefined && this.longestMs !== undefined ? this.openedByMs + this.longestMs : undefined;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Pacer {
  readonly stats: PacerStats = { sent: 0, repeated429: 0, waitedMs: 0, activeMs: 0 };
  private firstSentAt: number | undefined;
  private turn: Promise<void> = Promise.resolve();
  private remaining: number | undefined;
  private resetAtMs: number | undefined;
  private nextSlotMs = 0;
  private readonly spacingMs: number;
  private readonly window = new WindowEstimate();

  constructor(private readonly options: PacerOptions = {}) {
    this.spacingMs = options.maxRps ? 1000 / options.maxRps : 0;
  }

  /** Sends one request when the budget allows; resolves with the answer (after repeats of a 429). */
  async send(request: PacedSend): Promise<Response> {
    const previous = this.turn;
    let release = () => {};
    this.turn = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await this.sendInTurn(request);
    } finally {
      release();
    }
  }

  private async sendInTurn(request: PacedSend): Promise<Response> {
    const maxRetries = this.options.max429Retries ?? 8;
    for (let attempt = 0; ; attempt += 1) {
      await this.waitForBudget(request.label);
      this.nextSlotMs = Date.now() + this.spacingMs;
      if (this.remaining !== undefined) this.remaining -= 1;
      this.stats.sent += 1;
      const sentAt = Date.now();
      this.firstSentAt ??= sentAt;
      const response = await request.send().finally(() => (this.stats.activeMs = Date.now() - (this.firstSentAt ?? Date.now())));
      // A 429 the run provoked on purpose (a forced fault) says nothing true about the budget.
      if (request.expect429 && response.status === 429) return response;
      this.learn(response.headers, sentAt, Date.now());
      if (response.status !== 429 || attempt >= maxRetries) return response;
      await response.body?.cancel().catch(() => {});
      this.window.distrust();
      this.stats.repeated429 += 1;
      // The answer says how long to wait; a 429 without either header gets a short growing pause.
      const wait = requestedWaitMs(response.headers, Date.now()) ?? 250 * 2 ** attempt;
      this.remaining = 0;
      this.resetAtMs = Date.now() + Math.max(wait, 50);
      if (wait > (this.options.maxWaitMs ?? MAX_WAIT_MS)) return response;
    }
  }

  private learn(headers: Headers, sentAt: number, answeredAt: number): void {
    const rateLimit = readRateLimit(headers);
    if (!rateLimit) return;
    this.window.observe(rateLimit.limit, rateLimit.remaining, rateLimit.reset === undefined ? undefined : rateLimit.reset * 1000, sentAt, answeredAt);
    if (rateLimit.remaining !== undefined) this.remaining = rateLimit.remaining;
    if (rateLimit.reset !== undefined) this.resetAtMs = rateLimit.reset * 1000;
  }

  private async waitForBudget(label: string): Promise<void> {
    const now = Date.now();
    let until = this.nextSlotMs;
    let why = `--max-rps`;
    if (this.remaining !== undefined && this.remaining <= 0 && this.resetAtMs !== undefined) {
      const windowEnd = Math.min(this.resetAtMs, this.window.endsBy() ?? Number.POSITIVE_INFINITY);
      if (windowEnd > until) {
        until = windowEnd;
        why = "the rate limit to reset";
      }
    }
    const wait = until - now;
    if (wait <= 0) return;
    if (wait > (this.options.maxWaitMs ?? MAX_WAIT_MS)) {
      // A reset far in the future (a clock skew, a daily quota): do not hang the run; the server will answer 429.
      this.remaining = undefined;
      return;
    }
    if (wait >= (this.options.announceWaitsFromMs ?? 2_000)) {
      this.options.log?.(`  … waiting ${(wait / 1000).toFixed(1)} s for ${why} before ${label}`);
    }
    this.stats.waitedMs += wait;
    await sleep(wait);
    // The window has turned: the next answer tells the new budget.
    if (why !== "--max-rps") this.remaining = undefined;
  }
}
