/**
 * `paginate()`: every item of a paged list, one page in memory at a time, in one of Auth0's two paging styles.
 *
 * - Checkpoint paging, on every list that takes `take` and `from` (`/connections`, `/organizations`,
 *   `/client-grants`, `/connections/{id}/clients`): it asks with `take` and then `from` = the previous page's
 *   `next`, until a page comes without `next`. Auth0 serves any depth this way (page paging stops at 1,000 results).
 * - Page paging, on the others: it asks with `include_totals=true` and walks `page` = 0, 1, 2… until the pages
 *   seen cover `total`. It does not trust `limit`: on `/organizations/{id}/enabled_connections` Auth0 sets it to the
 *   number of items returned, on `/organizations/{id}/connections` to `per_page`.
 *
 * An empty page ends either walk, whatever `total` or `next` said. A walk that reaches `maxPages` while the list
 * still goes on throws a PaginationLimitError after the last page's items: a caller must be able to tell a whole
 * list from one cut short.
 */
import type { paths } from "../../generated/schema.js";
import { OPERATIONS, type OperationFacts } from "../../generated/spec-facts.js";
import type { ManagementClient } from "./client.js";
import type { UnlessFieldsSent, Whole } from "./strict-types.js";

type GetOperation<Path extends keyof paths> = paths[Path] extends { get: infer Operation } ? Operation : never;
type QueryOf<Path extends keyof paths> = GetOperation<Path> extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;
type PathParamsOf<Path extends keyof paths> = GetOperation<Path> extends { parameters: { path: infer Params } } ? Params : never;
type ListBodyOf<Path extends keyof paths> = GetOperation<Path> extends { responses: { 200: { content: { "application/json": infer Body } } } } ? Body : never;

/** The paths whose GET takes every one of the query parameters `Names`. */
type PathsTaking<Names extends string> = {
  [Path in keyof paths]: [QueryOf<Path>] extends [never] ? never : [Names] extends [keyof QueryOf<Path>] ? Path : never;
}[keyof paths];

/** The list endpoints that page with a checkpoint: `take`, then `from` = the previous page's `next`. */
export type CheckpointPath = PathsTaking<"take" | "from">;

/** The list endpoints `paginate()` walks: those with checkpoint paging, and those with `page`, `per_page` and `include_totals`. */
export type PaginatedPath = CheckpointPath | PathsTaking<"page" | "include_totals">;

/**
 * The checkpoint lists at run time. The type makes this exactly the set the spec's types define: a list the spec
 * gains or loses is a compile error here until this object follows.
 */
const CHECKPOINT_PATHS: Record<CheckpointPath, true> = {
  "/connections": true,
  "/organizations": true,
  "/client-grants": true,
  "/connections/{id}/clients": true,
};

const isCheckpointPath = (path: string): path is CheckpointPath => Object.hasOwn(CHECKPOINT_PATHS, path);

/**
 * The item type of a paged list, from its response schema, as the client's own calls type it: on a list that takes
 * `fields`, whole objects unless `Query` sends `fields` (a field selection is then possible). Without a `Query`,
 * any query: the items may be either.
 */
export type PaginatedItem<Path extends PaginatedPath, Query = PaginateQuery<Path>> = UnlessFieldsSent<
  ItemOf<ListBodyOf<Path>>,
  Whole<ItemOf<ListBodyOf<Path>>>,
  Query,
  QueryOf<Path>
>;

/** The item of a list body: of its plain-array form, or (for lists that only answer a page object) of its one array property. */
type ItemOf<Body> = [Extract<Body, readonly unknown[]>] extends [never]
  ? { [Key in keyof Body]-?: NonNullable<Body[Key]> extends readonly (infer Item)[] ? Item : never }[keyof Body]
  : Extract<Body, readonly unknown[]>[number];

/** What a caller may put in the query: filters and the page size; the walk itself sets the paging parameters. */
type PaginateQuery<Path extends PaginatedPath> = Path extends CheckpointPath
  ? Omit<QueryOf<Path>, "include_totals" | "from" | "page" | "per_page">
  : Omit<QueryOf<Path>, "include_totals">;
type PathParamsInit<Path extends PaginatedPath> = [PathParamsOf<Path>] extends [never] ? { path?: undefined } : { path: PathParamsOf<Path> };

/** The options of a walk. */
export interface PaginateInit<Path extends PaginatedPath> {
  params: PathParamsInit<Path> & {
    /**
     * Filters and page size (`take` on checkpoint lists, `per_page` on the others); on page lists `page` is where to
     * start (default 0) and `include_totals` is always sent as true.
     */
    query?: PaginateQuery<Path>;
  };
  /** Stops the walk (and the request in flight). */
  signal?: AbortSignal;
  /**
   * Upper bound on pages fetched, so a misbehaving server cannot keep the loop going. Default 1 000. Reaching it while
   * the list goes on throws a PaginationLimitError (after the items of the pages fetched).
   */
  maxPages?: number;
}

/** Each list's largest page, by path: the spec's maximum of its `take` (checkpoint lists) or `per_page` (the others). */
const LARGEST_PAGE = new Map(
  (Object.values(OPERATIONS) as readonly OperationFacts[]).flatMap((list) => {
    const size = list.query[list.paging.includes("checkpoint") ? "take" : "per_page"]?.maximum;
    return list.method === "get" && size !== undefined ? [[list.path, size] as const] : [];
  }),
);

/**
 * When no page size is given, a walk asks for its list's largest page (so that it spends as little of the rate limit
 * as possible): 1000 on `/connections/{id}/clients`, 100 on the others today. This constant is the largest page
 * every list accepts (the smallest of those maximums).
 */
export const DEFAULT_PAGE_SIZE = Math.min(...LARGEST_PAGE.values());
const largestPage = (path: string) => LARGEST_PAGE.get(path) ?? DEFAULT_PAGE_SIZE;
const DEFAULT_MAX_PAGES = 1_000;

interface Page {
  items: unknown[];
  total: number | undefined;
  /** The checkpoint of the following page (checkpoint lists only). */
  next: string | undefined;
}

/** Reads a list answer: the plain array, or the page object with its one array property, `total` and `next`. */
function readPage(data: unknown, path: string): Page {
  if (Array.isArray(data)) return { items: data, total: undefined, next: undefined };
  if (typeof data === "object" && data !== null) {
    const record = data as Record<string, unknown>;
    const arrays = Object.values(record).filter((value): value is unknown[] => Array.isArray(value));
    if (arrays.length === 1 && arrays[0]) {
      return {
        items: arrays[0],
        total: typeof record.total === "number" ? record.total : undefined,
        next: typeof record.next === "string" && record.next !== "" ? record.next : undefined,
      };
    }
  }
  throw new Error(`GET ${path} answered with something that is not a page of items.`);
}

/** The walk stopped at `maxPages` although the list had more: what was yielded is not the whole list. */
export class PaginationLimitError extends Error {
  override readonly name = "PaginationLimitError";
  constructor(
    readonly path: string,
    readonly pages: number,
  ) {
    super(
      `paginate() stopped after ${pages} pages of GET ${path} (maxPages) although the list goes on; the items yielded are not the whole list. Raise maxPages to walk further.`,
    );
  }
}

type LooseGet = (path: string, init: { params: unknown; signal?: AbortSignal }) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** The query of a walk that asks for no `fields`: the items are whole. */
type NothingSent = Record<never, never>;
/** A walk whose query sends no `fields` (none at all, or one typed without it). */
type WholeItemsInit<Path extends PaginatedPath> = PaginateInit<Path> & { params: { query?: { fields?: undefined } } };

/*
 * Two signatures rather than an inferred query type: the query stays a plain declared type, so a misspelt key in a
 * literal is an error and a query held in a variable of the operation's own query type is accepted, as with the
 * client's calls. A walk that cannot send `fields` yields whole objects; one that may yields field selections too.
 */
export function paginate<Path extends PaginatedPath>(
  client: Pick<ManagementClient, "GET" | "errorOf">,
  path: Path,
  init: WholeItemsInit<Path>,
): AsyncGenerator<PaginatedItem<Path, NothingSent>, void, undefined>;
export function paginate<Path extends PaginatedPath>(
  client: Pick<ManagementClient, "GET" | "errorOf">,
  path: Path,
  init: PaginateInit<Path>,
): AsyncGenerator<PaginatedItem<Path>, void, undefined>;
export async function* paginate<Path extends PaginatedPath>(
  client: Pick<ManagementClient, "GET" | "errorOf">,
  path: Path,
  init: PaginateInit<Path>,
): AsyncGenerator<PaginatedItem<Path>, void, undefined> {
  const query = { ...(init.params.query ?? {}) } as Record<string, unknown>;
  const maxPages = init.maxPages ?? DEFAULT_MAX_PAGES;
  const get = client.GET as unknown as LooseGet;
  const fetchPage = async (pageQuery: Record<string, unknown>): Promise<Page> => {
    const result = await get(path, {
      params: { path: init.params.path, query: pageQuery },
      ...(init.signal ? { signal: init.signal } : {}),
    });
    if (!result.response.ok) throw client.errorOf(result);
    return readPage(result.data, path);
  };

  if (isCheckpointPath(path)) {
    const take = typeof query.take === "number" ? query.take : largestPage(path);
    let from: string | undefined;
    for (let fetched = 0; fetched < maxPages; fetched += 1) {
      const { items, next } = await fetchPage(from === undefined ? { ...query, take } : { ...query, take, from });
      for (const item of items) yield item as PaginatedItem<Path>;
      if (items.length === 0 || next === undefined) return;
      from = next;
    }
    throw new PaginationLimitError(path, maxPages);
  }

  const perPage = typeof query.per_page === "number" ? query.per_page : largestPage(path);
  const firstPage = typeof query.page === "number" ? query.page : 0;
  for (let page = firstPage; page < firstPage + maxPages; page += 1) {
    const { items, total } = await fetchPage({ ...query, page, per_page: perPage, include_totals: true });
    if (items.length === 0) return;
    for (const item of items) yield item as PaginatedItem<Path>;
    const lastPage = total === undefined ? items.length < perPage : (page + 1) * perPage >= total;
    if (lastPage) return;
  }
  throw new PaginationLimitError(path, maxPages);
}
