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
 *   contradicts it (see `bucketFor`; its count, its reset, or a refill faster than that bucket's can be; where several
 *   fit, its kin's): sharing is assumed until the answers rule it out, and an operation whose
 *   answers name several buckets draws on all of them. When a bucket's count drops by more than the requests known
 *   to draw on it, the operations sent in between draw on it too — how a bucket hidden behind another's headers (a
 *   tenant bucket behind an endpoint group's) shows. An operation never answered yet is counted against its kin's
 *   buckets and the tenant's (see `bucketsOf`; with no kin, the buckets reads and writes alike draw on; every bucket
 *   while none is known to serve both), and waits for those; it goes one request at a time until its first answer
 *   has said which buckets it draws on.
 * - **Which bucket is the tenant's.** Auth0's structure is taken as known: one tenant bucket that every request
 *   draws on, and endpoint groups that do not overlap, each of reads or of writes. Two signs show it. A bucket whose
 *   count, between two answers of one kind, falls by more than the requests of that kind sent meanwhile was drawn on
 *   by the other kind too (see `learnTenant`): operations outside any group name the tenant's bucket, so it is
 *   usually found this way, before any refusal. And a request refused by a bucket its answers never named (another
 *   burst than theirs, or a bucket reads and writes alike draw on) found it behind its group's headers. From then on
 *   every request is counted against it, whether or not its answers name it, and its refill is also read from its
 *   refusals' resets — which is how a tenant bucket that only refusals show stops refusing.
 * - **The burst**: `x-ratelimit-limit`.
 * - **The refill.** `x-ratelimit-reset` says when the bucket is full again (to the second), so `(limit − 1 −
 *   remaining) / (reset − sentAt)` is a rate the bucket refills at least at; so is what came back between two answers
 *   (counted exactly from an answer that found the bucket full). Until the answers show that the bucket refills
 *   continuously (its reset moves later while it is still far off, or more requests went through it than it holds
 *   between two full states), it is treated as a window that is full again at its reset — which a fixed window is —
 *   and the window's length is learned (see bucket-window.ts), so that the run need not wait out the reset's rounding.
 *
 * Every estimate errs on the safe side, on two assumptions: the local clock agrees with the tenant's to well under a
 * second (NTP; a reset is read as a local time), and the latency a request spends before the tenant's clock is the
 * same for every request up to the spread of the round trips seen ("jitter"). So the time between two requests'
 * arrivals is the time between their sends (± jitter), whatever the latency and however it splits around the
 * tenant's clock — the pacer counts tokens from the sends, at the slowest refill the answers allow, not from the
 * answers (which cost a round trip of refill per request). A 429 that was not expected makes the learner trust only
 * the server's reset for that bucket until it has seen new evidence (the tenant's bucket: its refill as that reset
 * bounds it).
 */

import { akin, type Bucket, describeBucket, type Draw, isRead, isWide, newBucket, ofKind, remember, type Send } from "./bucket-model.js";
import { forgetWindow, learnWindow, probeAt, windowEnd } from "./bucket-window.js";

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
  /**
   * False: the request reached no bucket (a 429 a test double forced before its limiter, which the caller asked
   * for), so what `sent` counted for it is given back. A refusal of the tenant's own is not such: it says which
   * bucket was empty.
   */
  drew?: boolean;
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

/** How long to wait before a request may go, and which bucket it waits for. */
export interface Delay {
  ms: number;
  /** The bucket it waits for, for progress lines. */
  bucket?: string;
}

/** How soon to look again when a request waits for an answer that has not come (the client's concurrent calls). */
const RECHECK_MS = 1_000;

export class BucketLearner {
  private readonly buckets: Bucket[] = [];
  private readonly memberships = new Map<string, Set<Bucket>>();
  /** The buckets each unanswered request of an operation drew on, oldest first. */
  private readonly drawing = new Map<string, Draw[]>();
  /** Operations answered without rate-limit figures (not Auth0, or a proxy that strips them): they never wait. */
  private readonly figureless = new Set<string>();
  /** When recent requests were sent, and whether each was a read (see `learnTenant`). */
  private readonly sends: Send[] = [];
  /** The shortest and longest round trips seen (answers with figures). */
  private readonly roundTrips = { least: Number.POSITIVE_INFINITY, most: 0 };

  // Read on every call (not `Date.now` itself), so that a test that fakes Date moves the learner too.
  /**
   * `probeWindows`: hold a fixed window's last request back to learn the window's length (see `probeAt`). A long run
   * of many requests (the contract run's pacer) gains a window each time it is learned; a caller waiting for one
   * answer (the client's budget) would only wait longer, so it is off by default.
   */
  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly options: { probeWindows?: boolean } = {},
  ) {}

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
   * buckets of its kin (reads or writes of the same collection, as endpoint groups gather them); another endpoint
   * group's bucket it seldom shares — waiting for it held every first request of an operation back for nothing,
   * and a refusal there still teaches the membership. Before a bucket of reads and writes is known: every bucket.
   */
  private bucketsOf(key: string): Bucket[] {
    const named = this.bucketsNamed(key);
    const tenant = this.tenant();
    return tenant && !named.includes(tenant) && !this.figureless.has(key) ? [...named, tenant] : named;
  }

  /** The tenant's bucket, once a refusal has shown which one it is. */
  private tenant(): Bucket | undefined {
    return this.buckets.find((bucket) => bucket.tenant);
  }

  /** The buckets its answers named, or (never answered) those it may draw on; see `bucketsOf`. */
  private bucketsNamed(key: string): Bucket[] {
    const own = this.memberships.get(key);
    if (own && own.size > 0) return [...own];
    if (this.figureless.has(key)) return [];
    const wide = this.buckets.filter(isWide);
    if (wide.length === 0) {
      // No bucket yet known to take reads and writes alike. One bucket may still be the tenant's (its other kind not
      // seen yet): wait for it. Among several, each an endpoint group's, a group is of reads or of writes (Auth0's
      // rows are): wait only for those of this request's kind — a read does not wait for an empty writes' group.
      if (this.buckets.length === 1) return [...this.buckets];
      return this.buckets.filter((bucket) => [...bucket.members].some((member) => isRead(member) === isRead(key)));
    }
    // Its kin's buckets (its group's, as like as not), and the tenant's once known: a bucket that only looks wide
    // (a group's whose answers a first answer of the other kind was taken for) is another group's. (Waiting for it held
    // a first write to an organization's connections back 2.3 s for an empty bucket of organization writes.)
    const kin = this.buckets.filter((bucket) => [...bucket.members].some((member) => akin(member, key)));
    const tenant = this.tenant();
    if (kin.length > 0) return tenant && !kin.includes(tenant) ? [tenant, ...kin] : kin;
    return wide;
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
      if (wait > delay.ms) delay = { ms: wait, bucket: describeBucket(bucket) };
    }
    return delay;
  }

  /** A request of `key` is being sent: it takes one request from each bucket it draws on. */
  sent(key: string, now = this.now()): void {
    const drawn = this.bucketsOf(key);
    const anchors = new Map<Bucket, NonNullable<Bucket["anchor"]>>();
    for (const bucket of drawn) {
      // Past its reset only one request was believed to fit (see tokensAt): it is taken; the answer says the rest.
      if (now >= windowEnd(bucket, this.jitterMs())) {
        bucket.fullBy = Number.POSITIVE_INFINITY;
        bucket.openerSentAt = undefined;
      }
      bucket.tokens = this.tokensAt(bucket, now) - 1;
      bucket.at = now;
      bucket.drawsSinceFull += 1;
      remember(bucket.drawnAt, now);
      if (bucket.anchor && bucket.members.has(key)) {
        bucket.anchor.draws += 1;
        anchors.set(bucket, bucket.anchor);
      }
      bucket.inFlight += 1;
    }
    for (const bucket of this.buckets) if (!drawn.includes(bucket)) remember(bucket.sentSince, key);
    const send: Send = { at: now, read: isRead(key) };
    remember(this.sends, send);
    let queue = this.drawing.get(key);
    if (!queue) this.drawing.set(key, (queue = []));
    queue.push({ buckets: drawn, anchors, send });
  }

  /** An answer (or a failure without one: `reading` undefined) to a request of `key` sent through `sent`. */
  answered(answer: ObservedAnswer): void {
    const draw: Draw = this.drawing.get(answer.key)?.shift() ?? { buckets: [], anchors: new Map() };
    const drawn = draw.buckets;
    if (draw.send) draw.send.answeredAt = answer.answeredAt;
    for (const bucket of drawn) bucket.inFlight = Math.max(0, bucket.inFlight - 1);
    if (answer.drew === false) return this.giveBack(answer.key, draw);
    const { reading } = answer;
    if (!reading || reading.limit === undefined || reading.remaining === undefined || reading.reset === undefined || reading.limit < 1) {
      if (answer.status !== 0) this.figureless.add(answer.key);
      return;
    }
    const resetMs = reading.reset * 1000;
    const roundTrip = answer.answeredAt - answer.sentAt;
    this.roundTrips.least = Math.min(this.roundTrips.least, roundTrip);
    this.roundTrips.most = Math.max(this.roundTrips.most, roundTrip);
    const ownBursts = new Set([...(this.memberships.get(answer.key) ?? [])].filter((own) => !own.tenant).map((own) => own.limit));
    const bucket = this.bucketFor(answer.key, reading.limit, reading.remaining, resetMs, answer);
    // A refused request took nothing from the buckets that let it through: a refill measured across it must not
    // count it as drawn (that would credit them with a request's worth of refill they never had). Their counts keep
    // it (the safe side: fewer left).
    if (answer.status === 429) for (const [other, anchor] of draw.anchors) if (other !== bucket) anchor.draws -= 1;
    // What the model allowed for, this request included (counted already unless it was not known to draw on it) —
    // as of its sending: the tenant counted it on its arrival, which was no earlier.
    const expected = this.tokensAt(bucket, answer.sentAt) - (drawn.includes(bucket) ? 0 : 1);
    const newMember = !bucket.members.has(answer.key);
    // Refused by a bucket its answers never named — of a burst none of theirs has, or one that reads and writes
    // alike draw on — it draws on that bucket behind their headers. Endpoint groups do not overlap (an operation is in
    // one at most) and hold reads or writes, so that is the tenant's: every request draws on it, from now on counted
    // so (see `bucketsOf`).
    const behindOthers = (ownBursts.size > 0 && !ownBursts.has(reading.limit)) || (newMember && isWide(bucket));
    if (answer.status === 429 && behindOthers && !this.tenant()) bucket.tenant = true;
    this.join(answer.key, bucket);
    // Refused by a bucket of reads and writes alike (a tenant's) that its answers never named: it was hiding behind
    // the headers of the operation's other buckets — and so it is for the operations that share those, which a
    // tenant's bucket limits as well. (Else each of them learns it from a refusal of its own.)
    if (answer.status === 429 && newMember && isWide(bucket))
      for (const other of this.memberships.get(answer.key) ?? []) if (other !== bucket) for (const member of other.members) this.join(member, bucket);
    // Likewise an operation found in a bucket whose other members all draw on such a bucket draws on it too.
    const mates = [...bucket.members].filter((member) => member !== answer.key);
    if (mates.length > 0 && !isWide(bucket))
      for (const wide of this.buckets.filter(isWide)) if (wide !== bucket && mates.every((mate) => wide.members.has(mate))) this.join(answer.key, wide);
    // Fewer left than that: operations sent since its last answer draw on it too — its members' kin, when they sent
    // enough to explain the shortfall (a long gap between its answers leaves every operation a suspect), else all.
    const shortfall = Math.floor(expected) - reading.remaining;
    if (bucket.last && shortfall > 0) {
      const kin = bucket.sentSince.filter((key) => [...bucket.members].some((member) => akin(member, key)));
      for (const key of kin.length >= shortfall ? kin : bucket.sentSince) this.join(key, bucket);
    }
    if (answer.status !== 429) this.learnTenant(bucket, answer, reading.remaining);
    if (answer.status === 429) {
      this.refused(bucket, answer, resetMs);
    } else {
      this.learnRefill(bucket, reading.remaining, resetMs, answer);
      bucket.fullBy = resetMs;
    }
    // Requests still in flight that draw on it may not have been counted yet: they will be.
    bucket.tokens = Math.min(bucket.limit, answer.status === 429 ? 0 : reading.remaining) - bucket.inFlight;
    // Counted from its arrival, which lay as far after its sending as the next request's will after its own.
    bucket.at = Math.min(answer.answeredAt, answer.sentAt + this.jitterMs());
    bucket.sentSince = [];
    bucket.drawnAt = bucket.drawnAt.filter((at) => at > answer.sentAt);
    bucket.last = { sentAt: answer.sentAt, answeredAt: answer.answeredAt, resetMs, remaining: reading.remaining };
    if (!bucket.anchor || answer.status === 429 || reading.remaining >= bucket.limit - 1)
      // A bucket full when this request drew holds exactly `limit − 1` after it; else a whole count of a fraction.
      bucket.anchor = { sentAt: answer.sentAt, remaining: reading.remaining, draws: 0, exact: answer.status !== 429 && reading.remaining === bucket.limit - 1 };
  }

  /** A request that reached no bucket: what `sent` counted for it is undone. */
  private giveBack(key: string, draw: Draw): void {
    for (const bucket of draw.buckets) {
      bucket.tokens = Math.min(bucket.limit, bucket.tokens + 1);
      bucket.drawsSinceFull = Math.max(0, bucket.drawsSinceFull - 1);
      const at = draw.send ? bucket.drawnAt.indexOf(draw.send.at) : -1;
      if (at >= 0) bucket.drawnAt.splice(at, 1);
    }
    for (const anchor of draw.anchors.values()) anchor.draws = Math.max(0, anchor.draws - 1);
    for (const bucket of this.buckets) {
      const at = draw.buckets.includes(bucket) ? -1 : bucket.sentSince.lastIndexOf(key);
      if (at >= 0) bucket.sentSince.splice(at, 1);
    }
    const sent = draw.send ? this.sends.indexOf(draw.send) : -1;
    if (sent >= 0) this.sends.splice(sent, 1);
  }

  /**
   * Whether this answer shows the bucket to be the tenant's, before any refusal. Between two answers of one kind
   * (two reads, say) that name it, its count falls by at most the requests of that kind sent meanwhile (a refill only
   * raises it). Falling further, requests of the other kind drew on it too; an endpoint group holds one kind only, so
   * it is the tenant's, and from now on every request is counted against it. (Taking only refusals for that evidence
   * let the organization reads of the shape empty the tenant's bucket unseen, twice a run.) Requests still in
   * flight when the earlier one was sent count as sent meanwhile.
   */
  private learnTenant(bucket: Bucket, answer: ObservedAnswer, remaining: number): void {
    const read = isRead(answer.key);
    const kind = read ? "read" : "write";
    const earlier = bucket.lastOfKind[kind];
    if (earlier && !this.tenant()) {
      // Of this kind: sent after the earlier one (less the earlier one itself) and before this one, or sent before it
      // and not answered before it went (in flight then, they may have arrived after it).
      const after = this.sends.filter((send) => send.read === read && send.at >= earlier.sentAt && send.at < answer.sentAt).length - 1;
      const overlapping = this.sends.filter(
        (send) => send.read === read && send.at < earlier.sentAt && (send.answeredAt === undefined || send.answeredAt > earlier.sentAt),
      ).length;
      if (remaining < earlier.remaining - 1 - Math.max(0, after) - overlapping) bucket.tenant = true;
    }
    bucket.lastOfKind[kind] = { sentAt: answer.sentAt, remaining };
  }

  /**
   * The bucket this answer describes. A bucket's reset only moves later (each request it lets through moves the
   * moment it is full again later; time alone leaves it), until a second before that reset it cannot hold more
   * than its slowest known refill allows, and it holds at least what the model counts less what the requests sent
   * since could have taken. So an answer continues a known bucket of the same burst unless its reset is earlier or
   * its count is out of those bounds: then it is another bucket — and an operation found in the wrong one leaves
   * it, which then learns its refill anew.
   */
  private bucketFor(key: string, limit: number, remaining: number, resetMs: number, { sentAt, answeredAt: now }: ObservedAnswer): Bucket {
    const consistent = (bucket: Bucket) => {
      if (!bucket.last) return true;
      if (resetMs < bucket.last.resetMs) return false;
      // Fewer left than the bucket certainly holds, by more than the requests sent since could have taken.
      // (As of the request's sending: it arrived no earlier.)
      const least = Math.floor(this.tokensAt(bucket, sentAt)) - (bucket.members.has(key) ? 0 : 1);
      if (remaining < least - bucket.sentSince.length) return false;
      // A token bucket: until a second before that reset, at most this many can be left now (this request's own draw
      // included). (A window holds back nothing by time: all it lacks comes back at once.)
      if (!bucket.continuous) return true;
      // This answer's reset says the bucket it describes refills at least at `lacked / (reset − sentAt)` (it lacks
      // at least one request after a draw): faster than this bucket can refill, it is another.
      if (Math.max(1, limit - 1 - remaining) / (resetMs - sentAt) > bucket.refillAtMostPerMs) return false;
      // The tenant's bucket, which every request draws on, holds at most what it held at its last answer, plus its
      // fastest refill since, less the requests sent meanwhile and this one: more left is a group's bucket of the same
      // burst (whose answers, before the tenant's was known, were taken for its own).
      if (bucket.tenant && Number.isFinite(bucket.refillAtMostPerMs)) {
        const drawnBetween = bucket.drawnAt.filter((at) => at < sentAt).length;
        const refilled = bucket.refillAtMostPerMs * (sentAt - bucket.last.sentAt + this.jitterMs());
        // (A count is whole: the bucket held less than one more than its last count said.)
        if (remaining > Math.floor(Math.min(bucket.limit, bucket.last.remaining + 1 - drawnBetween + refilled) - 1)) return false;
      }
      const notFullFor = bucket.last.resetMs - 1_000 - now;
      if (notFullFor <= 0) return true;
      return remaining < Math.ceil(limit - 1 - notFullFor * bucket.refillPerMs);
    };
    // Once the tenant's bucket is known, every other is an endpoint group's, which holds reads or writes, not both.
    const tenantKnown = this.tenant() !== undefined;
    const sameLimit = this.buckets.filter((bucket) => bucket.limit === limit && (!tenantKnown || bucket.tenant || ofKind(bucket, key)));
    const own = sameLimit.filter((bucket) => bucket.members.has(key));
    const latest = (candidates: Bucket[]) => candidates.filter(consistent).sort((a, b) => (b.last?.resetMs ?? 0) - (a.last?.resetMs ?? 0))[0];
    const kin = sameLimit.filter((bucket) => [...bucket.members].some((member) => akin(member, key)));
    // An operation's answers name its group's bucket when it has one; the tenant's, which it draws on anyway, is
    // never left.
    const found = latest(own.filter((bucket) => !bucket.tenant)) ?? latest(own) ?? latest(kin) ?? latest(sameLimit);
    for (const bucket of own) if (bucket !== found && !bucket.tenant) this.leave(key, bucket);
    return found ?? this.open(limit, remaining, now);
  }

  private open(limit: number, remaining: number, now: number): Bucket {
    const bucket = newBucket(limit, remaining, now);
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
    bucket.refillAtMostPerMs = Number.POSITIVE_INFINITY;
    bucket.continuous = false;
    forgetWindow(bucket);
    bucket.anchor = undefined;
    if (bucket.members.size === 0) this.buckets.splice(this.buckets.indexOf(bucket), 1);
  }

  /** A 429: the bucket is empty until the server says otherwise; how it refills is no longer trusted. */
  private refused(bucket: Bucket, answer: ObservedAnswer, resetMs: number): void {
    const fastestKnown = bucket.refillAtMostPerMs;
    bucket.continuous = false;
    // The refill it was believed to have was too fast (answers of two buckets of one burst taken for one, say):
    // learned anew from the answers that follow, not kept to refuse again at the same pace.
    bucket.refillPerMs = 0;
    bucket.refillAtMostPerMs = Number.POSITIVE_INFINITY;
    forgetWindow(bucket);
    const retryAt = answer.retryAfterMs === undefined ? undefined : answer.answeredAt + answer.retryAfterMs;
    if (bucket.tenant && resetMs - 1_000 > answer.answeredAt) {
      // Few answers name it, so its refill is what this refusal's reset says of a token bucket (Auth0's kind): less
      // than one request left on arrival, full by the reset and not a second before it. (A reset under a second
      // away says little — a refusal forced by a test double can carry a full bucket's — and is simply waited out.)
      bucket.continuous = true;
      bucket.refillPerMs = Math.min((bucket.limit - 1) / (resetMs - answer.sentAt), fastestKnown);
      bucket.refillAtMostPerMs = bucket.limit / (resetMs - 1_000 - answer.answeredAt);
    }
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
    // And it is not full a second before its reset (which is rounded up): `limit − remaining` requests at most come
    // back in more than `reset − 1 s − answeredAt` — as a token bucket (a window's reset says nothing of a refill).
    const notFullFor = resetMs - 1_000 - answer.answeredAt;
    if (notFullFor > 0) bucket.refillAtMostPerMs = Math.min(bucket.refillAtMostPerMs, (bucket.limit - remaining) / notFullFor);
    // Since the anchor its members sent `draws` requests (others may have drawn too: that only lowers the count)
    // and the count moved between whole numbers: at least this many came back meanwhile — between the two requests'
    // arrivals, which lie as far apart as their sends (up to the jitter seen: see bucket-window.ts).
    const { anchor } = bucket;
    // (Requests still in flight may reach the tenant after this one: they are not counted.)
    const draws = Math.max(0, (anchor?.draws ?? 0) - bucket.inFlight);
    const span = answer.sentAt - (anchor?.sentAt ?? answer.sentAt) + this.jitterMs();
    if (anchor && span > 0) {
      const cameBack = remaining - anchor.remaining + draws - (anchor.exact ? 0 : 1);
      if (cameBack > 0) bucket.refillPerMs = Math.max(bucket.refillPerMs, cameBack / span);
    }
    // And its reset: the bucket lacked `limit − anchor's count` then (one more unless exact), lacks one more for each
    // request since, and is full again by this reset — so all of that came back between the anchor's sending and the
    // reset, at least. (Had it been full meanwhile, it would be full later, not sooner.) Over many requests the
    // reset's rounding to the second weighs less and less: the rate it gives tightens as the run goes on.
    if (anchor && resetMs > anchor.sentAt) {
      const lacked = bucket.limit - anchor.remaining - (anchor.exact ? 0 : 1) + draws;
      if (lacked > 0) bucket.refillPerMs = Math.max(bucket.refillPerMs, lacked / (resetMs - anchor.sentAt));
    }
    learnWindow(bucket, remaining, resetMs, answer.sentAt, this.jitterMs());
  }

  /** How much the latency varies from one request to the next: the spread of the round trips seen. */
  private jitterMs(): number {
    return this.roundTrips.most - this.roundTrips.least;
  }

  /** Requests certainly left in the bucket at `now`. */
  private tokensAt(bucket: Bucket, now: number): number {
    const refilled =
      bucket.continuous && bucket.refillPerMs > 0 ? Math.min(bucket.limit, bucket.tokens + Math.max(0, now - bucket.at) * bucket.refillPerMs) : bucket.tokens;
    // Past its reset it is full again — but that is believed for one request at a time, until an answer confirms
    // it (a bucket that is not alone may have been drawn on since).
    if (now >= windowEnd(bucket, this.jitterMs())) return Math.max(refilled, 1);
    return refilled;
  }

  /** When to send the request that takes a window's last request, to learn the window's length (see `probeAt`). */
  private probeAt(bucket: Bucket, tokens: number, now: number): number | undefined {
    if (!this.options.probeWindows) return undefined;
    // Only for a bucket reads and writes alike draw on (a tenant's) or the only one known, which the requests after it
    // wait for anyway: a bucket of some operations only may be a token bucket not yet seen refilling, and holding its
    // last request back would hold up the others behind it.
    if (!isWide(bucket) && this.buckets.length > 1) return undefined;
    return probeAt(bucket, tokens, now, this.jitterMs());
  }

  /** How long until the bucket certainly holds one request. */
  private waitForToken(bucket: Bucket, now: number): number {
    const tokens = this.tokensAt(bucket, now);
    if (tokens >= 1) return Math.max(0, (this.probeAt(bucket, tokens, now) ?? now) - now);
    const end = windowEnd(bucket, this.jitterMs());
    if (bucket.continuous && bucket.refillPerMs > 0) return Math.min((1 - tokens) / bucket.refillPerMs, end - now);
    // Otherwise its reset, or — when a request past its reset has not been answered yet — soon, to look again.
    return Number.isFinite(end) ? end - now : RECHECK_MS;
  }
}
