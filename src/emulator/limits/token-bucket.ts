/**
 * One token bucket as Auth0's rate-limit policy describes it: it holds at most `burst` requests, each request takes
 * one, and `sustained` requests are added back every `perMs` — one every `perMs / sustained` ms — until it is full.
 */
export interface BucketFigures {
  /** The most requests the bucket holds (Auth0's "burst request limit"). */
  burst: number;
  /** Requests added back per `perMs` (Auth0's "sustained request limit"). */
  sustained: number;
  perMs: number;
  /**
   * `continuous`: one request added back every `perMs / sustained` ms (Auth0's buckets). `window`: a fixed window —
   * the first request opens a window of `perMs`, and when it has passed the bucket is full again at once.
   */
  refill: "continuous" | "window";
}

/** What the headers say about a bucket, and what the admin API shows. */
export interface BucketReading {
  limit: number;
  /** Whole requests left. */
  remaining: number;
  /** When the bucket is full again, epoch ms (on the emulator's clock). */
  fullAtMs: number;
}

/** Refill is computed in floating point: a token that is due now must not be missed by a rounding error. */
const DUE = 1 - 1e-9;

export class TokenBucket {
  /** Tokens at `updatedAt` (fractional: refill is continuous). */
  private tokens: number;
  private updatedAt: number;
  private readonly refillPerMs: number;
  /** For a fixed window: when the current window opened (undefined while none is open). */
  private windowStart: number | undefined;

  constructor(
    readonly name: string,
    readonly figures: BucketFigures,
    now: number,
  ) {
    this.tokens = figures.burst;
    this.updatedAt = now;
    this.refillPerMs = figures.sustained / figures.perMs;
  }

  private refill(now: number): void {
    if (this.figures.refill === "window") {
      if (this.windowStart !== undefined && now >= this.windowStart + this.figures.perMs) {
        this.windowStart = undefined;
        this.tokens = this.figures.burst;
      }
      return;
    }
    if (now > this.updatedAt) {
      this.tokens = Math.min(this.figures.burst, this.tokens + (now - this.updatedAt) * this.refillPerMs);
      this.updatedAt = now;
    }
  }

  /** Whether one request fits now (nothing is taken). */
  hasRoom(now: number): boolean {
    this.refill(now);
    return this.tokens >= DUE;
  }

  /** Takes one request's token; call only after `hasRoom`. */
  take(now: number): void {
    this.refill(now);
    this.windowStart ??= now;
    this.tokens -= 1;
  }

  read(now: number): BucketReading {
    this.refill(now);
    const remaining = Math.floor(this.tokens);
    if (this.figures.refill === "window")
      return { limit: this.figures.burst, remaining, fullAtMs: this.windowStart === undefined ? now : this.windowStart + this.figures.perMs };
    return { limit: this.figures.burst, remaining, fullAtMs: now + (this.figures.burst - this.tokens) / this.refillPerMs };
  }

  /** How long until one request fits (0 when one fits now). */
  msUntilRoom(now: number): number {
    this.refill(now);
    if (this.tokens >= DUE) return 0;
    if (this.figures.refill === "window") return this.windowStart === undefined ? 0 : this.windowStart + this.figures.perMs - now;
    return (1 - this.tokens) / this.refillPerMs;
  }

  /** Full again (a reset of the emulator). */
  fill(now: number): void {
    this.windowStart = undefined;
    this.tokens = this.figures.burst;
    this.updatedAt = now;
  }
}
