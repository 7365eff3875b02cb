/**
 * What the rate-limit learner (bucket-learner.ts) keeps about one bucket, and how it reads an operation's key for the
 * structure of Auth0's endpoint groups: a group holds reads or writes of one resource, never both kinds.
 */

export interface Bucket {
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
  /**
   * Tokens per ms it refills at most at, as a token bucket (see `BucketLearner.learnRefill`); infinite while unknown. Two idle
   * buckets of one burst look alike by their counts, not by their refills.
   */
  refillAtMostPerMs: number;
  /** Seen refilling continuously (a token bucket), rather than all at once (a window). */
  continuous: boolean;
  /**
   * For a window: when the request that opened the current one was sent, and what the answers bound its length to
   * (see `BucketLearner.learnWindow`). The upper bound says when the next window may be opened; the lower only where to probe.
   */
  openerSentAt: number | undefined;
  openerResetMs: number | undefined;
  windowAtMostMs: number | undefined;
  windowMoreThanMs: number;
  /** Requests drawn since it was last seen full (its answer said limit − 1). */
  drawsSinceFull: number;
  /**
   * An earlier answer to measure its refill from, and the requests its members sent since (the next answer's own
   * included). Moved on whenever the bucket was full (a full bucket wastes refill, which the measure cannot see).
   */
  anchor: { sentAt: number; remaining: number; draws: number; exact: boolean } | undefined;
  /** The last answer that described it, and its count. */
  last: { sentAt: number; answeredAt: number; resetMs: number; remaining: number } | undefined;
  /** Requests sent that draw on it and have not been answered yet. */
  inFlight: number;
  /** Operations sent since its last answer that are not known to draw on it: suspects when its count drops. */
  sentSince: string[];
  /** When each request that drew on it since its last answer was sent. */
  drawnAt: number[];
  /**
   * The tenant's bucket, found by a count that the other kind's requests drew down or by a refusal behind an endpoint
   * group's headers (see `BucketLearner.learnTenant` and `answered`): Auth0 has one for the whole Management API, so
   * every request draws on it, whether or not its answers name it.
   */
  tenant: boolean;
  /** The last answer of a read, and of a write, that described it (see `BucketLearner.learnTenant`). */
  lastOfKind: Partial<Record<"read" | "write", { sentAt: number; remaining: number }>>;
}

/** One request's draw: the buckets it was counted against, and the refill measures (anchors) it was counted in. */
export interface Draw {
  buckets: Bucket[];
  anchors: Map<Bucket, NonNullable<Bucket["anchor"]>>;
  /** The request as the learner's history of sends keeps it (its answer's time is filled in when it comes). */
  send?: Send;
}

/** One request sent: when, whether a read, and when its answer came (undefined while it has not). */
export interface Send {
  at: number;
  read: boolean;
  answeredAt?: number;
}

/**
 * How many requests a bucket remembers since its last answer. A bucket no answer names again (an idle group's, a
 * tenant's behind the groups' headers) would otherwise remember every request of a long-lived client: about 20
 * bytes each, 200 MB over ten million. Past this many the oldest are forgotten, on the safe side: fewer suspects for
 * a shortfall, and fewer draws counted against the tenant's when an answer is checked against it (which only lets
 * more answers be its).
 */
const HISTORY_LIMIT = 1_000;

/** Adds to a bucket's history of requests since its last answer, forgetting the oldest past `HISTORY_LIMIT`. */
export function remember<T>(history: T[], item: T): void {
  history.push(item);
  if (history.length > HISTORY_LIMIT) history.splice(0, history.length - HISTORY_LIMIT);
}

/** A bucket first seen in an answer: `remaining` left at `now`, nothing known yet of its refill or its members. */
export function newBucket(limit: number, remaining: number, now: number): Bucket {
  return {
    limit,
    members: new Set(),
    tokens: remaining,
    at: now,
    fullBy: now,
    refillPerMs: 0,
    refillAtMostPerMs: Number.POSITIVE_INFINITY,
    continuous: false,
    openerSentAt: undefined,
    openerResetMs: undefined,
    windowAtMostMs: undefined,
    windowMoreThanMs: 0,
    drawsSinceFull: 0,
    anchor: undefined,
    last: undefined,
    inFlight: 0,
    sentSince: [],
    drawnAt: [],
    tenant: false,
    lastOfKind: {},
  };
}

/** A read (`GET …`) rather than a write: endpoint groups hold one or the other. */
export const isRead = (key: string) => key.startsWith("GET ") || key.startsWith("HEAD ");

/** The collection an operation acts on: its path without a last `{parameter}` (`/organizations/{id}` → `/organizations`). */
const collection = (key: string) => key.slice(key.indexOf(" ") + 1).replace(/\/\{[^}]*\}$/, "");

/**
 * Two operations of one kind (both reads or both writes) on one collection (`POST /organizations`, `PATCH
 * /organizations/{id}`), as endpoint groups gather them. (Kin by the path's first segment alone made a first write
 * to an organization's connections wait for the organization writes' bucket, which it does not draw on.)
 */
export const akin = (a: string, b: string) => isRead(a) === isRead(b) && (collection(a) === collection(b) || siblings(collection(a), collection(b)));

/**
 * Two collections of one resource under one parent (`/organizations/{id}/enabled_connections` and
 * `/organizations/{id}/connections`: two families of one organization's connections, which Auth0 groups together).
 * The resource is the last word of the collection's name: an organization's `client-grants` are another resource,
 * in another group (taking them for kin made every first write to an organization's connections wait for the
 * grants' empty bucket).
 */
const siblings = (a: string, b: string) => {
  const parent = (path: string) => path.slice(0, path.lastIndexOf("/"));
  const resource = (path: string) =>
    path
      .slice(path.lastIndexOf("/") + 1)
      .split(/[_-]/)
      .at(-1);
  return parent(a).includes("/{") && parent(a) === parent(b) && resource(a) === resource(b);
};

/** Reads and writes alike draw on it: a tenant's bucket, or one as wide. */
export const isWide = (bucket: Bucket) => new Set([...bucket.members].map(isRead)).size > 1;

/** Every member is of this request's kind (reads, or writes): a bucket an endpoint group of its kind could have. */
export const ofKind = (bucket: Bucket, key: string) => [...bucket.members].every((member) => isRead(member) === isRead(key));

/** The bucket as a progress line names it. */
export const describeBucket = (bucket: Bucket) =>
  `${bucket.limit} at once${bucket.continuous && bucket.refillPerMs > 0 ? `, ${(bucket.refillPerMs * 1000).toFixed(2)}/s back` : ""}`;
