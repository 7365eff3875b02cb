/**
 * The tenant's rate limits as Auth0 applies them: a token bucket for the whole Management API and, on top, buckets
 * per endpoint group. A request draws one token from every bucket that applies to it, and only when each has one;
 * otherwise it is refused with a 429 and draws nothing. Every `/api/v2` answer carries `x-ratelimit-limit` (the
 * bucket's burst), `x-ratelimit-remaining` (whole requests left) and `x-ratelimit-reset` (UNIX seconds when the
 * bucket is full again). Which bucket they describe when several apply, Auth0 does not document; by default the
 * one with the fewest requests left (the next to refuse), and a 429 describes the bucket that refused.
 */
import type { EmulatorClock } from "./clock.js";
import type { LimitPresetName } from "./presets.js";
import { type HeaderPolicy, type LimitsShape, type ResolvedBucket, type ResolvedLimits, resolveLimits } from "./shape.js";
import { type BucketReading, TokenBucket } from "./token-bucket.js";
import { RATE_LIMIT_HEADERS } from "../../../generated/spec-facts.js";

/** A preset name (`free`, `enterprise`, …) or a shape of one's own. */
export type LimitsOption = LimitPresetName | LimitsShape;

/** What an emulator limits when told nothing: generous enough never to be met, refilling every second like Auth0's. */
export const DEFAULT_LIMITS: LimitsShape = { tenant: { burst: 100_000, rate: "100000/second" } };

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** The bucket that refused the request. */
  refusedBy?: string;
  /** The buckets the request drew on (or the one that refused it), by name: for the request inspector. */
  buckets: string[];
}

export interface BucketState {
  name: string;
  /** `every request` for the tenant bucket, else the operations (`METHOD /path`) that draw on it. */
  appliesTo: "every request" | string[];
  /** Only requests with this query parameter draw on it. */
  query?: string;
  burst: number;
  /** e.g. `150/60000ms`. */
  rate: string;
  refill: "continuous" | "window";
  remaining: number;
  /** When it is full again, on the emulator's clock (ISO 8601). */
  fullAt: string;
}

export interface LimitsState {
  /** False with `rateLimit: false` / `--no-rate-limit`: nothing is refused, the headers are still sent. */
  enforced: boolean;
  preset?: string;
  /** The Auth0 page and its date, for a preset. */
  source?: string;
  headers: HeaderPolicy;
  /** The emulator's clock: ISO time and how far it was moved ahead. */
  clock: { now: string; offsetMs: number };
  buckets: BucketState[];
}

/** What a limiter applies: the resolved limits (rate-limit.ts makes them from an emulator's options), and whether it refuses. */
export interface LimiterSettings {
  limits: ResolvedLimits & { preset?: string };
  enforced: boolean;
}

export class TenantLimiter {
  private tenant: TokenBucket | undefined;
  private groups: Array<{ bucket: TokenBucket; spec: ResolvedBucket }> = [];
  /** Reports requests no bucket applies to (a preset without a tenant bucket); never refuses. */
  private fallback!: TokenBucket;
  /** The group buckets of each operation (`METHOD /template`), looked up once. */
  private byOperation = new Map<string, Array<{ bucket: TokenBucket; spec: ResolvedBucket }>>();
  private settings!: LimiterSettings;

  constructor(
    settings: LimiterSettings,
    private readonly clock: EmulatorClock,
  ) {
    this.apply(settings);
  }

  /** Replaces the limits (every bucket starts full). */
  apply(settings: LimiterSettings): void {
    const now = this.clock.now();
    this.settings = settings;
    const { tenant, groups } = settings.limits;
    this.tenant = tenant ? new TokenBucket("tenant", tenant, now) : undefined;
    this.groups = groups.map((spec) => ({ bucket: new TokenBucket(spec.name, spec, now), spec }));
    const fallback = resolveLimits(DEFAULT_LIMITS).tenant!;
    this.fallback = new TokenBucket("tenant", fallback, now);
    this.byOperation.clear();
  }

  private groupsOf(operation: string): Array<{ bucket: TokenBucket; spec: ResolvedBucket }> {
    let found = this.byOperation.get(operation);
    if (!found) {
      found = this.groups.filter(({ spec }) => spec.operations?.has(operation));
      this.byOperation.set(operation, found);
    }
    return found;
  }

  /** The buckets a request draws on: the tenant's, and each group of its operation (`METHOD /template`) that applies. */
  private bucketsFor(operation: string | undefined, query: string): TokenBucket[] {
    const buckets: TokenBucket[] = this.tenant ? [this.tenant] : [];
    if (operation === undefined) return buckets;
    for (const { bucket, spec } of this.groupsOf(operation)) {
      if (spec.query === undefined || (query !== "" && new URLSearchParams(query).has(spec.query))) buckets.push(bucket);
    }
    return buckets;
  }

  /** Counts one request (its operation as `METHOD /template`, undefined for a path the spec lacks) and says whether it may go ahead. */
  take(operation: string | undefined, query = ""): RateLimitDecision {
    const now = this.clock.now();
    const buckets = this.bucketsFor(operation, query);
    if (buckets.length === 0) {
      this.fallback.take(now);
      return { allowed: true, headers: headersOf(this.fallback.read(now)), buckets: [] };
    }
    const empty = this.settings.enforced ? buckets.find((bucket) => !bucket.hasRoom(now)) : undefined;
    if (empty) return { allowed: false, headers: headersOf(empty.read(now)), refusedBy: empty.name, buckets: [empty.name] };
    for (const bucket of buckets) bucket.take(now);
    return { allowed: true, headers: headersOf(this.reported(buckets, now)), buckets: buckets.map((bucket) => bucket.name) };
  }

  /**
   * How long until a request of the operation would be let through (0: now), without counting it: what a client
   * that knew every bucket would wait. The benchmarks measure a run against it.
   */
  msUntilRoom(operation: string | undefined, query = ""): number {
    if (!this.settings.enforced) return 0;
    const now = this.clock.now();
    return Math.max(0, ...this.bucketsFor(operation, query).map((bucket) => bucket.msUntilRoom(now)));
  }

  /** The reading the headers carry (see the module comment and HeaderPolicy). */
  private reported(buckets: TokenBucket[], now: number): BucketReading {
    const readings = buckets.map((bucket) => ({ bucket, reading: bucket.read(now) }));
    if (this.settings.limits.headers === "endpoint-group") {
      const group = readings.find(({ bucket }) => bucket !== this.tenant);
      if (group) return group.reading;
    }
    // The fewest requests left; on a tie the one that is full again last (it stays tight longer).
    return readings.reduce((tightest, next) =>
      next.reading.remaining < tightest.reading.remaining ||
      (next.reading.remaining === tightest.reading.remaining && next.reading.fullAtMs > tightest.reading.fullAtMs)
        ? next
        : tightest,
    ).reading;
  }

  /** The tenant bucket's headers without counting a request (a forced 429 says its bucket is spent). */
  headers(exhausted = false): Record<string, string> {
    const now = this.clock.now();
    const reading = (this.tenant ?? this.fallback).read(now);
    return headersOf(exhausted ? { ...reading, remaining: 0 } : reading);
  }

  state(): LimitsState {
    const now = this.clock.now();
    const describe = (bucket: TokenBucket, appliesTo: BucketState["appliesTo"], spec: ResolvedBucket): BucketState => {
      const reading = bucket.read(now);
      return {
        name: bucket.name,
        appliesTo,
        ...(spec.query ? { query: spec.query } : {}),
        burst: spec.burst,
        rate: `${spec.sustained}/${spec.perMs}ms`,
        refill: spec.refill,
        remaining: reading.remaining,
        fullAt: new Date(reading.fullAtMs).toISOString(),
      };
    };
    const { limits, enforced } = this.settings;
    const buckets = [
      ...(this.tenant && limits.tenant ? [describe(this.tenant, "every request", limits.tenant)] : []),
      ...this.groups.map(({ bucket, spec }) => describe(bucket, [...(spec.operations ?? [])], spec)),
    ];
    return {
      enforced,
      ...(limits.preset ? { preset: limits.preset } : {}),
      ...(limits.source ? { source: limits.source } : {}),
      headers: limits.headers,
      clock: { now: new Date(now).toISOString(), offsetMs: this.clock.offsetMs },
      buckets,
    };
  }

  /** Every bucket full again. */
  reset(): void {
    const now = this.clock.now();
    this.tenant?.fill(now);
    for (const { bucket } of this.groups) bucket.fill(now);
    this.fallback.fill(now);
  }
}

function headersOf(reading: BucketReading): Record<string, string> {
  return {
    [RATE_LIMIT_HEADERS.limit]: String(reading.limit),
    [RATE_LIMIT_HEADERS.remaining]: String(Math.max(0, reading.remaining)),
    [RATE_LIMIT_HEADERS.reset]: String(Math.ceil(reading.fullAtMs / 1000)),
  };
}
