/**
 * What the rate-limit learner (bucket-learner.ts) learns about a bucket that behaves as a fixed window (all it lacks
 * comes back at once, at its reset): how long the window is, so that a run need not wait out the reset's rounding
 * to the second, and when to send a window's last request so that the next answer tells more about that length.
 * `jitterMs` is how much the latency varies from one request to the next (the spread of the round trips seen).
 */

import type { Bucket } from "./bucket-model.js";

/** A window's length is probed for until it is known to this share of it (2% of a second: 20 ms). */
const PROBE_PRECISION = 0.02;

/**
 * What this answer tells about the length of a window. The reset (rounded up to the second, on the tenant's clock,
 * which the local clock is trusted to agree with to well under a second) is when the window ends at the latest, and
 * the request arrived after it was sent: so the window lasts at most `reset − sentAt`. That bound alone locks up
 * when the latency falls before the tenant's clock: openers sent at a whole second arrive later, the window ends
 * just past a whole second, the reset says nearly a second more, and only one window in two is used. What breaks
 * the lock: whether a request of ours opened a new window (its count is `limit − 1`) or joined the current one
 * says whether it arrived after the window's end — and since both it and the opener spent the same latency before
 * the tenant's clock (up to the jitter seen), the difference of their send times bounds the window's length from
 * above or below, whatever that latency is.
 */
export function learnWindow(bucket: Bucket, remaining: number, resetMs: number, sentAt: number, jitterMs: number): void {
  const since = bucket.openerSentAt === undefined ? undefined : sentAt - bucket.openerSentAt;
  if (remaining === bucket.limit - 1) {
    // It was full when this request drew: as a window, this request opened it — after the last one had ended.
    const atMost = Math.min(resetMs - sentAt, since === undefined ? Number.POSITIVE_INFINITY : since + jitterMs);
    bucket.drawsSinceFull = 0;
    bucket.openerSentAt = sentAt;
    bucket.openerResetMs = resetMs;
    bucket.windowAtMostMs = Math.min(bucket.windowAtMostMs ?? Number.POSITIVE_INFINITY, atMost);
  } else if (since !== undefined && resetMs === bucket.openerResetMs) {
    // It joined the window the opener opened: it arrived before that window ended.
    bucket.windowMoreThanMs = Math.max(bucket.windowMoreThanMs, since - jitterMs);
  }
}

/** What was learned of its window no longer holds (it was found to refill otherwise, or another bucket's answers were taken for its). */
export function forgetWindow(bucket: Bucket): void {
  bucket.openerSentAt = undefined;
  bucket.openerResetMs = undefined;
  bucket.windowAtMostMs = undefined;
  bucket.windowMoreThanMs = 0;
}

/** When the bucket is certainly full again: its reset, or for a window earlier, by what its length is known to be. */
export function windowEnd(bucket: Bucket, jitterMs: number): number {
  const byLength =
    !bucket.continuous && bucket.openerSentAt !== undefined && bucket.windowAtMostMs !== undefined && bucket.drawsSinceFull < bucket.limit
      ? bucket.openerSentAt + bucket.windowAtMostMs + jitterMs
      : Number.POSITIVE_INFINITY;
  return Math.min(bucket.fullBy, byLength);
}

/**
 * When to send the request that takes a window's last request, while the window's length is not known closely:
 * halfway between what the answers bound it to, counted from the opener's send. Sending it now would leave the
 * bucket idle until the window ends anyway; sent then it either joins the window (it is longer) or opens the next
 * (it is shorter, and that one opened early) — either way the bounds close in. Undefined: no reason to wait.
 */
export function probeAt(bucket: Bucket, tokens: number, now: number, jitterMs: number): number | undefined {
  if (bucket.continuous || tokens >= 2 || bucket.inFlight > 0 || bucket.openerSentAt === undefined || bucket.windowAtMostMs === undefined) return undefined;
  if (now >= windowEnd(bucket, jitterMs)) return undefined;
  const unknown = bucket.windowAtMostMs - bucket.windowMoreThanMs;
  if (unknown <= Math.max(PROBE_PRECISION * bucket.windowAtMostMs, 2 * jitterMs)) return undefined;
  return bucket.openerSentAt + bucket.windowMoreThanMs + unknown / 2;
}
