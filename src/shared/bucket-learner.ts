/**
 * What a caller can learn about Auth0's rate limits from the answers alone, without knowing the plan: Auth0 limits
 * the Management API with token buckets (one for the tenant, more per endpoint group; several apply to one request),
 * and each answer's `x-ratelimit-limit/remaining/reset` describe ONE of the buckets the request drew on. The learner
 * keeps a model of every bucket it has seen, and says how long a request must wait so that none of the buckets it
 * draws on is empty. It is shared by the contract run's pacer (one request at a time) and the client's budget
 * (concurrent calls), so that there is one model of the limits, not two.
 *
 * What it learns, and from what:
 * - **Which operations share a bucket.** An answer continues a known bucket of the same burst (`limit`) unless it
 *   contradicts it (see `bucketFor`): sharing is assumed until the answers rule it out, and an operation whose
 *   answers name several buckets draws on all of them. When a bucket's count drops by more than the requests known
 *   to draw on it, the operations sent in between draw on it too — how a bucket hidden behind another's headers (a
 *   tenant bucket behind an endpoint group's) shows. An operation never answered yet is counted against the
 *   buckets reads and writes alike draw on and those of its kin (see `bucketsOf`; every bucket while none is
 *   known to serve both), and waits for those; it goes one request at a time until its first answer has said
 *   which buckets it draws on.
 * - **The burst**: `x-ratelimit-limit`.
 * - **The refill.** `x-ratelimit-reset` says when the bucket is full again (to the second), so `(limit − 1 −
 *   remaining) / (reset − sentAt)` is a rate the bucket refills at least at. Until the answers show that the bucket
 *   refills continuously (its reset moves later while it is still far off, or more requests went through it than it
 *   holds between two full states), it is treated as a window that is full again at its reset — which a fixed
 *   window is — and the window's length is learned as the old pacer did (the least `reset − sentAt` seen when it
 *   opened), so that the run need not wait out the reset's rounding to the second.
 *
 * Every estimate errs on the safe side: tokens are counted from when an answer arrived (the server counted them
 * earlier; latency before or after the server only leaves more), at the slowest refill the answers allow. A 429 that
 * was not expected makes the learner trust only the server's reset for that bucket until it has seen new evidence.
 */

/** The rate-limit headers of one answer, read into numbers. */
export interface RateReading {
  limit: number | undefined;
  remaining: number | undefined;
  /** UNIX seconds. */
  reset: number | undefined;
}

export interface ObservedAnswer {
  /** The operation, e.g. `GET /organizations/{id}`. */
  key: string;
  status: number;
  reading: RateReading | undefined;
  /** When the request left and its answer came, epoch ms (the learner's clock). */
  sentAt: number;
  answeredAt: number;
  /** A 429's `Retry-After`, in ms. */
  retryAfterMs?: number;
}

export interface LearnedBucket {
  limit: number;
  /** The operations known to draw on it. */
  operations: string[];
  /** Whole requests the learner is sure are left now. */
  available: number;
  /** Requests per second it refills at least at (undefined: treated as a window full again at its reset). */
  refillPerSecond: number | undefined;
}

interface Bucket {
  limit: number;
  /** The operations known to draw on it. */
  members: Set<string>;
  /** Requests certainly left at `at` (a lower bound; fractional while refilling). */
  tokens: number;
  at: number;
  /** When it is full again at the latest (the last reset reported), ms. */
  fullBy: number;
  /** Tokens per ms it refills at least at; 0 while unknown. */
  refillPerMs: number;
  /** Seen refilling continuously (a token bucket), rather than all at once (a window). */
  continuous: boolean;
  /** For a window: the least `reset − sentAt` seen when it opened, and when the current one opened at the latest. */
  longestWindowMs: number | undefined;
  openedBy: number | undefined;
  /** Requests drawn since it was last seen full (its answer said limit − 1). */
  drawsSinceFull: number;
  /**
   * An earlier answer to measure its refill from, and the requests its members sent since (the next answer's own
   * included). Moved on whenever the bucket was full (a full bucket wastes refill, which the measure cannot see).
   */
  anchor: { sentAt: number; remaining: number; draws: number } | undefined;
  /** The last answer that described it, and its count. */
  last: { sentAt: number; answeredAt: number; resetMs: number; remaining: number } | undefined;
  /** Requests sent that draw on it and have not been answered yet. */
  inFlight: number;
  /** Operations sent since its last answer that are not known to draw on it: suspects when its count drops. */
  sentSince: string[];
}

/** How long to wait before a request may go, and which bucket it waits for. */
export interface Delay {
  ms: number;
  /** The bucket it waits for, for progress lines. */
  bucket?: string;
}

/** How soon to look again when a request waits for an answer that has not come (the client's concurrent calls). */
const RECHECK_MS = 1_000;

/** A read (`GET …`) rather than a write: endpoint groups hold one or the other. */
const isRead = (key: string) => key.startsWith("GET ") || key.startsWith("HEAD ");

/** Two operations of one kind (both reads or both writes) on one resource (the path's first segment). */
const akin = (a: string, b: string) => isRead(a) === isRead(b) && a.split("/")[1] === b.split("/")[1];

const describe = (bucket: Bucket) =>
  `${bucket.limit} at once${bucket.continuous && bucket.refillPerMs > 0 ? `, ${(bucket.refillPerMs * 1000).toFixed(2)}/s back` : ""}`;

export class BucketLearner {
  private readonly buckets: Bucket[] = [];
  private readonly memberships = new Map<string, Set<Bucket>>();
  /** The buckets each unanswered request of an operation drew on, oldest first. */
  private readonly drawing = new Map<string, Bucket[][]>();
  /** Operations answered without rate-limit figures (not Auth0, or a proxy that strips them): they never wait. */
  private readonly figureless = new Set<string>();

  // Read on every call (not `Date.now` itself), so that a test that fakes Date moves the learner too.
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** The buckets learned so far (for estimates and reports). */
  learned(): LearnedBucket[] {
    const now = this.now();
    return this.buckets.map((bucket) => ({
      limit: bucket.limit,
      operations: [...bucket.members],
      available: Math.floor(this.tokensAt(bucket, now)),
      refillPerSecond: bucket.continuous && bucket.refillPerMs > 0 ? bucket.refillPerMs * 1000 : undefined,
    }));
  }

  /**
   * The buckets a request of `key` draws on. While the operation has never been answered: the buckets that reads
   * and writes alike draw on (a tenant's bucket, or one as wide), which any operation may draw on too, and the
   * buckets of its kin (reads or writes of the same resource, as endpoint groups gather them); another endpoint
   * group's bucket it seldom shares — waiting for it held every first request of an operation back for nothing,
   * and a refusal there still teaches the membership. Before a bucket of reads and writes is known: every bucket.
   */
  private bucketsOf(key: string): Bucket[] {
    const own = this.memberships.get(key);
    if (own && own.size > 0) return [...own];
    if (this.figureless.has(key)) return [];
    const wide = this.buckets.filter((bucket) => new Set([...bucket.members].map(isRead)).size > 1);
    if (wide.length === 0) return [...this.buckets];
    const kin = this.buckets.filter((bucket) => !wide.includes(bucket) && [...bucket.members].some((member) => akin(member, key)));
    return [...wide, ...kin];
  }

  /** How long a request of `key` must wait so that no bucket it draws on (or, never answered yet, may draw on) is empty. */
  delayFor(key: string, now = this.now()): Delay {
    // Never answered and already on its way, while buckets are known that it may draw on: the rest wait for its
    // answer, which says which ones it does. (Before any bucket is known, calls go as they come.)
    if (this.buckets.length > 0 && !this.memberships.get(key)?.size && !this.figureless.has(key) && (this.drawing.get(key)?.length ?? 0) > 0)
      return { ms: RECHECK_MS, bucket: "the first answer to this operation" };
    let delay: Delay = { ms: 0 };
    for (const bucket of this.bucketsOf(key)) {
      const wait = this.waitForToken(bucket, now);
      if (wait > delay.ms) delay = { ms: wait, bucket: describe(bucket) };
    }
    return delay;
  }

  /** A request of `key` is being sent: it takes one request from each bucket it draws on. */
  sent(key: string, now = this.now()): void {
    const drawn = this.bucketsOf(key);
    for (const bucket of drawn) {
      // Past its reset only one request was believed to fit (see tokensAt): it is taken; the answer says the rest.
      if (now >= this.windowEnd(bucket)) {
        bucket.fullBy = Number.POSITIVE_INFINITY;
        bucket.openedBy = undefined;
      }
      bucket.tokens = this.tokensAt(bucket, now) - 1;
      bucket.at = now;
      bucket.drawsSinceFull += 1;
      if (bucket.anchor && bucket.members.has(key)) bucket.anchor.draws += 1;
      bucket.inFlight += 1;
    }
    for (const bucket of this.buckets) if (!drawn.includes(bucket)) bucket.sentSince.push(key);
    let queue = this.drawing.get(key);
    if (!queue) this.drawing.set(key, (queue = []));
    queue.push(drawn);
  }

  /** An answer (or a failure without one: `reading` undefined) to a request of `key` sent through `sent`. */
  answered(answer: ObservedAnswer): void {
    const drawn = this.drawing.get(answer.key)?.shift() ?? [];
    for (const bucket of drawn) bucket.inFlight = Math.max(0, bucket.inFlight - 1);
    const { reading } = answer;
    if (!reading || reading.limit === undefined || reading.remaining === undefined || reading.reset === undefined || reading.limit < 1) {
      if (answer.status !== 0) this.figureless.add(answer.key);
      return;
    }
    const resetMs = reading.reset * 1000;
    const bucket = this.bucketFor(answer.key, reading.limit, reading.remaining, resetMs, answer.answeredAt);
    // What the model allowed for, this request included (counted already unless it was not known to draw on it).
    const expected = this.tokensAt(bucket, answer.answeredAt) - (drawn.includes(bucket) ? 0 : 1);
    this.join(answer.key, bucket);
    // Fewer left than that: the operations sent since its last answer draw on it too.
    if (bucket.last && reading.remaining < Math.floor(expected)) for (const key of bucket.sentSince) this.join(key, bucket);
    if (answer.status === 429) {
      this.refused(bucket, answer, resetMs);
    } else {
      this.learnRefill(bucket, reading.remaining, resetMs, answer);
      bucket.fullBy = resetMs;
    }
    // Requests still in flight that draw on it may not have been counted yet: they will be.
    bucket.tokens = Math.min(bucket.limit, answer.status === 429 ? 0 : reading.remaining) - bucket.inFlight;
    bucket.at = answer.answeredAt;
    bucket.sentSince = [];
    bucket.last = { sentAt: answer.sentAt, answeredAt: answer.answeredAt, resetMs, remaining: reading.remaining };
    if (!bucket.anchor || answer.status === 429 || reading.remaining >= bucket.limit - 1)
      bucket.anchor = { sentAt: answer.sentAt, remaining: reading.remaining, draws: 0 };
  }

  /**
   * The bucket this answer describes. A bucket's reset only moves later (each request it lets through moves the
   * moment it is full again later; time alone leaves it), until a second before that reset it cannot hold more
   * than its slowest known refill allows, and it holds at least what the model counts less what the requests sent
   * since could have taken. So an answer continues a known bucket of the same burst unless its reset is earlier or
   * its count is out of those bounds: then it is another bucket — and an operation found in the wrong one leaves
   * it, which then learns its refill anew.
   */
  private bucketFor(key: string, limit: number, remaining: number, resetMs: number, now: number): Bucket {
    const consistent = (bucket: Bucket) => {
      if (!bucket.last) return true;
      if (resetMs < bucket.last.resetMs) return false;
      // Fewer left than the bucket certainly holds, by more than the requests sent since could have taken.
      const least = Math.floor(this.tokensAt(bucket, now)) - (bucket.members.has(key) ? 0 : 1);
      if (remaining < least - bucket.sentSince.length) return false;
      const notFullFor = bucket.last.resetMs - 1_000 - now;
      // At most this many can be left now (this request's own draw included).
      const most = notFullFor > 0 ? limit - 1 - notFullFor * bucket.refillPerMs : limit - 1;
      return notFullFor <= 0 || remaining < Math.ceil(most);
    };
    const sameLimit = this.buckets.filter((bucket) => bucket.limit === limit);
    const own = sameLimit.filter((bucket) => bucket.members.has(key));
    const latest = (candidates: Bucket[]) => candidates.filter(consistent).sort((a, b) => (b.last?.resetMs ?? 0) - (a.last?.resetMs ?? 0))[0];
    const found = latest(own) ?? latest(sameLimit);
    for (const bucket of own) if (bucket !== found) this.leave(key, bucket);
    return found ?? this.open(limit, remaining, now);
  }

  private open(limit: number, remaining: number, now: number): Bucket {
    const bucket: Bucket = {
      limit,
      members: new Set(),
      tokens: remaining,
      at: now,
      fullBy: now,
      refillPerMs: 0,
      continuous: false,
      longestWindowMs: undefined,
      openedBy: undefined,
      drawsSinceFull: 0,
      anchor: undefined,
      last: undefined,
      inFlight: 0,
      sentSince: [],
    };
    this.buckets.push(bucket);
    return bucket;
  }

  private join(key: string, bucket: Bucket): void {
    bucket.members.add(key);
    let own = this.memberships.get(key);
    if (!own) this.memberships.set(key, (own = new Set()));
    own.add(bucket);
  }

  /** `key` was wrongly thought to draw on the bucket: what its answers taught the bucket is forgotten. */
  private leave(key: string, bucket: Bucket): void {
    bucket.members.delete(key);
    this.memberships.get(key)?.delete(bucket);
    bucket.refillPerMs = 0;
    bucket.continuous = false;
    bucket.longestWindowMs = undefined;
    bucket.anchor = undefined;
    if (bucket.members.size === 0) this.buckets.splice(this.buckets.indexOf(bucket), 1);
  }

  /** A 429: the bucket is empty until the server says otherwise; how it refills is no longer trusted. */
  private refused(bucket: Bucket, answer: ObservedAnswer, resetMs: number): void {
    bucket.continuous = false;
    bucket.longestWindowMs = undefined;
    bucket.openedBy = undefined;
    const retryAt = answer.retryAfterMs === undefined ? undefined : answer.answeredAt + answer.retryAfterMs;
    bucket.fullBy = retryAt !== undefined && retryAt < resetMs ? retryAt : Math.max(resetMs, answer.answeredAt);
  }

  /** What this answer tells about how the bucket refills. */
  private learnRefill(bucket: Bucket, remaining: number, resetMs: number, answer: ObservedAnswer): void {
    const previous = bucket.last;
    // The reset moved later while the earlier one was still more than a second off: it refills continuously
    // (a window keeps its reset until it ends).
    if (previous && resetMs > previous.resetMs && answer.answeredAt < previous.resetMs - 1_000) bucket.continuous = true;
    // More requests went through than it holds since it was last full, without a refusal: it refills as it goes.
    if (bucket.drawsSinceFull > bucket.limit) bucket.continuous = true;
    // Its reset is when it is full again: `limit − 1 − remaining` requests come back by then at the latest.
    if (remaining <= bucket.limit - 2 && resetMs > answer.sentAt) {
      bucket.refillPerMs = Math.max(bucket.refillPerMs, (bucket.limit - 1 - remaining) / (resetMs - answer.sentAt));
    }
    // Since the anchor its members sent `draws` requests (others may have drawn too: that only lowers the count)
    // and the count moved between whole numbers: at least this many came back meanwhile.
    const { anchor } = bucket;
    if (anchor && answer.answeredAt > anchor.sentAt) {
      const cameBack = remaining - anchor.remaining + anchor.draws - 1;
      if (cameBack > 0) bucket.refillPerMs = Math.max(bucket.refillPerMs, cameBack / (answer.answeredAt - anchor.sentAt));
    }
    if (remaining === bucket.limit - 1) {
      // It was full when this request drew: as a window, this request opened it.
      bucket.drawsSinceFull = 0;
      bucket.openedBy = answer.answeredAt;
      bucket.longestWindowMs = Math.min(bucket.longestWindowMs ?? Number.POSITIVE_INFINITY, resetMs - answer.sentAt);
    }
  }

  /** Requests certainly left in the bucket at `now`. */
  private tokensAt(bucket: Bucket, now: number): number {
    const refilled =
      bucket.continuous && bucket.refillPerMs > 0 ? Math.min(bucket.limit, bucket.tokens + Math.max(0, now - bucket.at) * bucket.refillPerMs) : bucket.tokens;
    // Past its reset it is full again — but that is believed for one request at a time, until an answer confirms
    // it (a bucket that is not alone may have been drawn on since).
    if (now >= this.windowEnd(bucket)) return Math.max(refilled, 1);
    return refilled;
  }

  /** When the bucket is certainly full again: its reset, or for a window earlier, by what its length is known to be. */
  private windowEnd(bucket: Bucket): number {
    const byLength =
      !bucket.continuous && bucket.openedBy !== undefined && bucket.longestWindowMs !== undefined && bucket.drawsSinceFull < bucket.limit
        ? bucket.openedBy + bucket.longestWindowMs
        : Number.POSITIVE_INFINITY;
    return Math.min(bucket.fullBy, byLength);
  }

  /** How long until the bucket certainly holds one request. */
  private waitForToken(bucket: Bucket, now: number): number {
    const tokens = this.tokensAt(bucket, now);
    if (tokens >= 1) return 0;
    const end = this.windowEnd(bucket);
    if (bucket.continuous && bucket.refillPerMs > 0) return Math.min((1 - tokens) / bucket.refillPerMs, end - now);
    // Otherwise its reset, or — when a request past its reset has not been answered yet — soon, to look again.
    return Number.isFinite(end) ? end - now : RECHECK_MS;
  }
}
