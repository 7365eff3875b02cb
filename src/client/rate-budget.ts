/**
 * One rate-limit budget per client, shared by all its calls. Auth0 limits a tenant with token buckets — one for the
 * whole Management API and more per endpoint group — and every answer describes one of the buckets its request
 * drew on. The budget learns them from the answers (src/shared/bucket-learner.ts, the same model the contract run's
 * pacer uses): which operations share a bucket, its burst, its refill. A call is sent only while every bucket its
 * operation draws on has room; the others queue, each for its own buckets — so a burst of reads to one endpoint
 * group never holds back a write to another.
 *
 * - Until an answer tells the figures, calls are sent as they come.
 * - An answer without the headers (not Auth0, or a proxy that strips them) teaches nothing: such calls never wait.
 * - A call is never held back longer than `maxWaitMs` (the client's `maxDelayMs`): past that it is sent, and the
 *   retry policy decides what to do with the 429 — as it would without a budget.
 */
import { BucketLearner, type ObservedAnswer } from "../shared/bucket-learner.js";

interface Waiter {
  key: string;
  maxWaitMs: number;
  since: number;
  resolve: () => void;
}

export interface BudgetTicket {
  /** Undefined when the call may go now; else a promise for when it may. */
  wait: Promise<void> | undefined;
  /** The call will not be sent after all (its caller gave up while it queued). */
  cancel(): void;
}

export class RateBudget {
  readonly #learner: BucketLearner;
  readonly #waiting: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(now: () => number = () => Date.now()) {
    this.#learner = new BucketLearner(now);
  }

  /** A place for a call of `key` (its operation, e.g. `GET /organizations/{id}`): now, or when its buckets have room. */
  acquire(key: string, maxWaitMs = Number.POSITIVE_INFINITY): BudgetTicket {
    if (!this.#waiting.some((waiter) => waiter.key === key) && this.#mayGo(key, maxWaitMs, 0)) {
      this.#learner.sent(key);
      return { wait: undefined, cancel: () => this.#learner.answered({ key, status: 0, reading: undefined, sentAt: Date.now(), answeredAt: Date.now() }) };
    }
    let waiter: Waiter | undefined;
    const wait = new Promise<void>((resolve) => {
      waiter = { key, maxWaitMs, since: Date.now(), resolve };
      this.#waiting.push(waiter);
    });
    this.#schedule();
    return {
      wait,
      cancel: () => {
        const index = this.#waiting.indexOf(waiter!);
        if (index >= 0) this.#waiting.splice(index, 1);
        // Released already: its draw is given back as a request that got no answer.
        else this.#learner.answered({ key, status: 0, reading: undefined, sentAt: Date.now(), answeredAt: Date.now() });
      },
    };
  }

  /** What an answer (or, `reading` undefined, a failure without one) to a call let through by `acquire` said. */
  observe(answer: ObservedAnswer): void {
    this.#learner.answered(answer);
    this.#release();
  }

  /** Whether a call may go now: its buckets have room, or it has waited as long as it may. */
  #mayGo(key: string, maxWaitMs: number, waitedMs: number): boolean {
    const delay = this.#learner.delayFor(key).ms;
    return delay <= 0 || delay > maxWaitMs - waitedMs;
  }

  /** Lets through, in order, every queued call whose buckets have room (a call waits behind earlier ones of its own operation only). */
  #release(): void {
    const now = Date.now();
    const blocked = new Set<string>();
    for (const waiter of [...this.#waiting]) {
      if (blocked.has(waiter.key) || !this.#mayGo(waiter.key, waiter.maxWaitMs, now - waiter.since)) {
        blocked.add(waiter.key);
        continue;
      }
      this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
      this.#learner.sent(waiter.key);
      waiter.resolve();
    }
    this.#schedule();
  }

  /** Wakes the queue when the first queued call's buckets have room. */
  #schedule(): void {
    if (this.#waiting.length === 0) return;
    const now = Date.now();
    const next = Math.min(...this.#waiting.map((waiter) => Math.min(this.#learner.delayFor(waiter.key, now).ms, waiter.maxWaitMs - (now - waiter.since))));
    const at = now + Math.max(0, next);
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#release();
      },
      Math.max(0, next),
    );
  }
}
