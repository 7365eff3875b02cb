/**
 * The answer shapes of the tenant-wide lists (`/connections`, `/organizations`, `/clients`, `/client-grants`), as
 * recorded from live tenants:
 *
 * - checkpoint paging: once the request sends `take` or `from`, `{<key>: [...], next?}` whatever `include_totals`
 *   and `per_page` say, with `next` only while more items remain;
 * - page paging: `{<key>, start, limit, total}` with `include_totals=true` (`limit` is `per_page`, `start` is
 *   `page × per_page`), otherwise a plain array.
 *
 * The checkpoint is opaque to clients: the base64url of the position of the next item.
 */
import { ApiError, type Reply, reply } from "../responses.js";
import { type PagingQuery, paging } from "./context.js";

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

export function encodeCheckpoint(position: number): string {
  return Buffer.from(String(position), "utf8").toString("base64url");
}

/** The position a `from` checkpoint names; an empty `from` starts at the beginning. */
export function decodeCheckpoint(from: string | undefined): number {
  if (from === undefined || from === "") return 0;
  const position = Number(Buffer.from(from, "base64url").toString("utf8"));
  if (!Number.isInteger(position) || position < 0) {
    throw new ApiError(400, "Query validation error: 'Invalid checkpoint' on property from (The checkpoint (the previous page's `next`) to continue from).", "invalid_query_string");
  }
  return position;
}

/** One checkpoint page of `items`: `take` of them from the position `from` names, and `next` when more remain. */
export function checkpointPage<T>(items: readonly T[], take: number, from: string | undefined): { page: T[]; next?: string } {
  const start = decodeCheckpoint(from);
  const page = items.slice(start, start + take);
  const end = start + page.length;
  return end < items.length ? { page, next: encodeCheckpoint(end) } : { page };
}

/** Whether the request pages with a checkpoint (it sent `take` or `from`). */
export function usesCheckpoint(context: ListRequest): boolean {
  return context.sentQuery.has("take") || context.sentQuery.has("from");
}

/**
 * Answers a list request with every matching item, in the shape the request's paging parameters ask for.
 * `show` turns each item of the returned page into its JSON form.
 */
export function listReply<T>(context: ListRequest, key: string, items: readonly T[], show: (item: T) => unknown): Reply {
  if (usesCheckpoint(context)) {
    // `take` has a default in the spec wherever checkpoints are offered, filled in by validation.
    const { page, next } = checkpointPage(items, context.query.take ?? items.length, context.query.from);
    return reply(200, next === undefined ? { [key]: page.map(show) } : { [key]: page.map(show), next });
  }
  const { page, perPage, includeTotals } = paging(context.query);
  const start = page * perPage;
  const shown = items.slice(start, start + perPage).map(show);
  return reply(200, includeTotals ? { [key]: shown, start, limit: perPage, total: items.length } : shown);
}
