/**
 * One pacer per contract run: every request the run sends — Dredd's transactions (through the loopback proxy), the
 * fixtures, probes and clean-up — waits its turn here. Requests go one at a time, because when the next may go
 * depends on the answers before it:
 * - at most `maxRps` requests per second (`--max-rps`, for tenants shared with other work);
 * - never into an empty bucket: the rate limits are learned from the answers (src/shared/bucket-learner.ts — which
 *   operations share a bucket, its burst, its refill), and a request waits only for the buckets it draws on, and
 *   only until one request's worth is back. Counting errs on the safe side on both sides of the tenant's clock
 *   (an answer's tokens count from when it arrived, at the slowest refill the answers allow), so the pacer never
 *   sends a request it expects to be refused;
 * - a 429 was not applied, so the request is sent again after `Retry-After` (else the bucket's reset), a bounded
 *   number of times — unless the request is the one transaction that is meant to see the 429.
 * A run therefore fails only when the contract is broken, never because the tenant is slow or strict.
 */
import { readRateLimit, requestedWaitMs, retryAfterMs } from "../client/index.js";
import { BucketLearner } from "../shared/bucket-learner.js";

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
  /** The clock and the wait (a test runs the pacer in simulated time). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PacedSend {
  /** What is being sent, for progress lines: e.g. `GET /api/v2/organizations/org_…`. */
  label: string;
  /** The operation (`GET /organizations/{id}`): requests of one operation draw on the same buckets. Default: `label`. */
  key?: string;
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

/** One request as sent: which operation, when, and how it was answered (the benchmark replays these). */
export interface SentRecord {
  key: string;
  /** When it was handed to the pacer, before any wait for the rate limit. */
  queuedAt: number;
  sentAt: number;
  answeredAt: number;
  status: number;
  /** A 429 the transaction asked for (a forced fault), not a refusal. */
  expected429: boolean;
}

/** The longest the pacer waits for a rate limit at once (callers' timeouts must allow for it). */
export const MAX_WAIT_MS = 120_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Pacer {
  readonly stats: PacerStats = { sent: 0, repeated429: 0, waitedMs: 0, activeMs: 0 };
  /** Every request sent, in order. */
  readonly record: SentRecord[] = [];
  readonly learner: BucketLearner;
  private firstSentAt: number | undefined;
  private turn: Promise<void> = Promise.resolve();
  private nextSlotMs = 0;
  /** A 429's Retry-After (or reset) for a request that has no bucket to hold it: nothing goes before. */
  private holdUntilMs = 0;
  private readonly spacingMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** How many requests the run means to send, for the progress of its waits. */
  planned: number | undefined;

  constructor(private readonly options: PacerOptions = {}) {
    this.spacingMs = options.maxRps ? 1000 / options.maxRps : 0;
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? realSleep;
    this.learner = new BucketLearner(this.now, { probeWindows: true });
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
    const key = request.key ?? request.label;
    for (let attempt = 0; ; attempt += 1) {
      const queuedAt = this.now();
      await this.waitForBudget(key, request.label, request.expect429 === true);
      const sentAt = this.now();
      this.nextSlotMs = sentAt + this.spacingMs;
      this.stats.sent += 1;
      this.firstSentAt ??= sentAt;
      this.learner.sent(key, sentAt);
      let response: Response;
      try {
        response = await request.send();
      } catch (error) {
        this.learner.answered({ key, status: 0, reading: undefined, sentAt, answeredAt: this.now() });
        throw error;
      } finally {
        this.stats.activeMs = this.now() - (this.firstSentAt ?? this.now());
      }
      const answeredAt = this.now();
      const expected429 = request.expect429 === true && response.status === 429;
      this.record.push({ key, queuedAt, sentAt, answeredAt, status: response.status, expected429 });
      // A 429 the run provoked on purpose (a forced fault, answered before the limiter) says nothing true about the
      // budget, and took nothing from it.
      if (expected429) {
        this.learner.answered({ key, status: 0, reading: undefined, sentAt, answeredAt, drew: false });
        return response;
      }
      const retryAfter = response.status === 429 ? retryAfterMs(response.headers, answeredAt) : undefined;
      this.learner.answered({
        key,
        status: response.status,
        reading: readRateLimit(response.headers),
        sentAt,
        answeredAt,
        ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
      });
      if (response.status !== 429 || attempt >= maxRetries) return response;
      await response.body?.cancel().catch(() => {});
      this.stats.repeated429 += 1;
      // The answer says how long to wait; a 429 without either header gets a short growing pause.
      const wait = requestedWaitMs(response.headers, answeredAt) ?? 250 * 2 ** attempt;
      if (wait > (this.options.maxWaitMs ?? MAX_WAIT_MS)) return response;
      this.holdUntilMs = Math.max(this.holdUntilMs, answeredAt + Math.max(wait, 50));
    }
  }

  /**
   * How long `requests` more requests take at the limits learned so far, one after another at the answers' pace: the
   * bucket most operations draw on sets the sustained pace (its burst goes first); 0 while nothing is known.
   */
  estimateMs(requests: number): number {
    const answered = this.record.filter((r) => r.answeredAt >= r.sentAt);
    const latency = answered.length > 0 ? answered.reduce((sum, r) => sum + (r.answeredAt - r.sentAt), 0) / answered.length : 0;
    const widest = this.learner.learned().sort((a, b) => b.operations.length - a.operations.length)[0];
    const spacing = Math.max(latency, this.spacingMs);
    if (!widest?.refillPerSecond) return requests * spacing;
    const beyondBurst = Math.max(0, requests - widest.available);
    return Math.max(requests * spacing, (beyondBurst / widest.refillPerSecond) * 1000);
  }

  /**
   * `forced`: the request asks for a 429 that a fault rule answers before the tenant's limiter, so it draws on no
   * bucket and does not wait for one (only for --max-rps and a 429's pause).
   */
  private async waitForBudget(key: string, label: string, forced: boolean): Promise<void> {
    const now = this.now();
    const bucket = forced ? { ms: 0 } : this.learner.delayFor(key, now);
    let until = this.nextSlotMs;
    let why = "--max-rps";
    if (this.holdUntilMs > until) {
      until = this.holdUntilMs;
      why = "the rate limit after a 429";
    }
    if (now + bucket.ms > until) {
      until = now + bucket.ms;
      why = `the rate limit (${bucket.bucket ?? "a bucket"})`;
    }
    const wait = until - now;
    if (wait <= 0) return;
    if (wait > (this.options.maxWaitMs ?? MAX_WAIT_MS)) return; // a reset far off (a skewed clock, a daily quota): the server will say
    if (wait >= (this.options.announceWaitsFromMs ?? 2_000)) {
      const progress = this.planned ? ` (request ${this.stats.sent + 1} of about ${this.planned})` : "";
      this.options.log?.(`  … waiting ${(wait / 1000).toFixed(1)} s for ${why} before ${label}${progress}`);
    }
    this.stats.waitedMs += wait;
    await this.sleep(wait);
  }
}
