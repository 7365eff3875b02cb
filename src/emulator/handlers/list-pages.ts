/**
 * The answer shapes of the tenant-wide lists (`/connections`, `/organizations`, `/clients`, `/client-grants`), as
 * recorded from live tenants:
 *
 * - checkpoint paging: once the request sends `take` or `from`, `{<key>: [...], next?}` whatever `include_totals`
 *   and `per_page` say, with `next` only while more items remain;
 * - page paging: `{<key>, start, limit, total}` with `include_totals=true` (`limit` is `per_page`, `start` is
 *   `page × per_page`), otherwise a plain array.
 *
 * The checkpoint is opaque to clients: the base64url of the position of the next item, the list it belongs to and a
 * MAC of both (keyed per process), so that a `from` the emulator never issued — a position made up by hand, one
 * issued for another list, garbage — is a 400 in Auth0's shape rather than a page of something.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type Reply, reply } from "../responses.js";
import { type OperationId, type PagingQuery, paging } from "./context.js";
import { OPERATIONS, type OperationFacts } from "../../../generated/spec-facts.js";
import { invalidQuery } from "../errors.js";

/** The query parameters of checkpoint paging. */
export interface CheckpointQuery {
  take?: number;
  from?: string;
}

/** What a list handler needs of its request: the paging parameters, and which of them were sent. */
export interface ListRequest {
  query: Readonly<PagingQuery & CheckpointQuery>;
  sentQuery: ReadonlySet<string>;
}

/** Signs the checkpoints this process issues. */
const CHECKPOINT_KEY = randomBytes(32);

const checkpointMac = (position: number, list: string) => createHmac("sha256", CHECKPOINT_KEY).update(`${list}\n${position}`).digest().subarray(0, 12);

const invalidCheckpoint = () =>
  invalidQuery("Query validation error: 'Invalid checkpoint' on property from (The checkpoint (the previous page's `next`) to continue from).");

/** The checkpoint of `position` in `list` (e.g. `organizations`, `clients:con_…`). */
export function encodeCheckpoint(position: number, list: string): string {
  return Buffer.concat([Buffer.from(`${position}.`, "utf8"), checkpointMac(position, list)]).toString("base64url");
}

/** The position a `from` checkpoint names in `list`; an empty `from` starts at the beginning; one never issued is a 400. */
export function decodeCheckpoint(from: string | undefined, list: string): number {
  if (from === undefined || from === "") return 0;
  const bytes = Buffer.from(from, "base64url");
  const dot = bytes.indexOf(".");
  const position = dot > 0 && dot <= 15 ? Number(bytes.subarray(0, dot).toString("utf8")) : Number.NaN;
  const mac = bytes.subarray(dot + 1);
  if (!Number.isSafeInteger(position) || position < 0 || String(position) !== bytes.subarray(0, dot).toString("utf8")) throw invalidCheckpoint();
  const expected = checkpointMac(position, list);
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw invalidCheckpoint();
  return position;
}

/** One checkpoint page of `items` (the list named `list`): `take` of them from where `from` says, and `next` when more remain. */
export function checkpointPage<T>(items: readonly T[], take: number, from: string | undefined, list: string): { page: T[]; next?: string } {
  const start = decodeCheckpoint(from, list);
  const page = items.slice(start, start + take);
  const end = start + page.length;
  return end < items.length ? { page, next: encodeCheckpoint(end, list) } : { page };
}

/** Whether the request pages with a checkpoint (it sent `take` or `from`). */
export function usesCheckpoint(context: ListRequest): boolean {
  return context.sentQuery.has("take") || context.sentQuery.has("from");
}

/**
 * Answers a list request with every matching item, in the shape the request's paging parameters ask for, under the
 * list key the spec gives the operation's page objects. `show` turns each item of the returned page into its JSON form.
 */
export function listReply<T>(context: ListRequest, operationId: OperationId, items: readonly T[], show: (item: T) => unknown): Reply {
  const key = (OPERATIONS[operationId] as OperationFacts).listKey;
  if (key === undefined) throw new Error(`The spec gives ${operationId} no paged answer`);
  if (usesCheckpoint(context)) {
    // `take` has a default in the spec wherever checkpoints are offered, filled in by validation.
    const { page, next } = checkpointPage(items, context.query.take ?? items.length, context.query.from, key);
    return reply(200, next === undefined ? { [key]: page.map(show) } : { [key]: page.map(show), next });
  }
  const { page, perPage, includeTotals } = paging(context.query);
  const start = page * perPage;
  const shown = items.slice(start, start + perPage).map(show);
  return reply(200, includeTotals ? { [key]: shown, start, limit: perPage, total: items.length } : shown);
}
