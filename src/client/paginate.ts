/**
 * `paginate()`: every item of a paged list, one page in memory at a time. It asks with `include_totals=true` and
 * walks `page` = 0, 1, 2… until the pages seen cover `total`. It does not trust `limit`: on
 * `/organizations/{id}/enabled_connections` Auth0 sets it to the number of items returned, on
 * `/organizations/{id}/connections` to `per_page`. An empty page also ends the walk, whatever `total` said.
 */
import type { paths } from "../../generated/schema.js";
import type { ManagementClient } from "./client.js";

type GetOperation<Path extends keyof paths> = paths[Path] extends { get: infer Operation } ? Operation : never;
type QueryOf<Path extends keyof paths> = GetOperation<Path> extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;
type PathParamsOf<Path extends keyof paths> = GetOperation<Path> extends { parameters: { path: infer Params } } ? Params : never;
type ListBodyOf<Path extends keyof paths> = GetOperation<Path> extends { responses: { 200: { content: { "application/json": infer Body } } } } ? Body : never;

/** The list endpoints that page with `page`, `per_page` and `include_totals`. */
export type PaginatedPath = {
  [Path in keyof paths]: [QueryOf<Path>] extends [never]
    ? never
    : "page" extends keyof QueryOf<Path>
      ? "include_totals" extends keyof QueryOf<Path>
        ? Path
        : never
      : never;
}[keyof paths];

/** The item type of a paged list, from its response schema. */
export type PaginatedItem<Path extends PaginatedPath> = Extract<ListBodyOf<Path>, readonly unknown[]>[number];

export interface PaginateInit<Path extends PaginatedPath> {
  params: {
    path: PathParamsOf<Path>;
    /** Filters and page size; `page` is where to start (default 0). `include_totals` is always sent as true. */
    query?: Omit<QueryOf<Path>, "include_totals">;
  };
  /** Stops the walk (and the request in flight). */
  signal?: AbortSignal;
  /** Upper bound on pages fetched, so a misbehaving server cannot keep the loop going. Default 1 000. */
  maxPages?: number;
}

/**
 * The page size used when none is given: the largest Auth0 serves (the spec's `per_page` maximum), so walking a
 * list spends as little of the rate limit as possible.
 */
export const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_MAX_PAGES = 1_000;

interface Page {
  items: unknown[];
  total: number | undefined;
}

/** Reads a list answer: the plain array, or the page object with its one array property and `total`. */
function readPage(data: unknown, path: string): Page {
  if (Array.isArray(data)) return { items: data, total: undefined };
  if (typeof data === "object" && data !== null) {
    const record = data as Record<string, unknown>;
    const arrays = Object.values(record).filter((value): value is unknown[] => Array.isArray(value));
    if (arrays.length === 1 && arrays[0]) {
      return { items: arrays[0], total: typeof record.total === "number" ? record.total : undefined };
    }
  }
  throw new Error(`GET ${path} answered with something that is not a page of items.`);
}

type LooseGet = (path: string, init: { params: unknown; signal?: AbortSignal }) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export async function* paginate<Path extends PaginatedPath>(
  client: Pick<ManagementClient, "GET" | "errorOf">,
  path: Path,
  init: PaginateInit<Path>,
): AsyncGenerator<PaginatedItem<Path>, void, undefined> {
  const query = { ...(init.params.query ?? {}) } as Record<string, unknown>;
  const perPage = typeof query.per_page === "number" ? query.per_page : DEFAULT_PAGE_SIZE;
  const firstPage = typeof query.page === "number" ? query.page : 0;
  const maxPages = init.maxPages ?? DEFAULT_MAX_PAGES;
  const get = client.GET as unknown as LooseGet;

  for (let page = firstPage; page < firstPage + maxPages; page += 1) {
    const result = await get(path, {
      params: { path: init.params.path, query: { ...query, page, per_page: perPage, include_totals: true } },
      ...(init.signal ? { signal: init.signal } : {}),
    });
    if (!result.response.ok) throw client.errorOf(result);
    const { items, total } = readPage(result.data, path);
    if (items.length === 0) return;
    for (const item of items) yield item as PaginatedItem<Path>;
    const lastPage = total === undefined ? items.length < perPage : (page + 1) * perPage >= total;
    if (lastPage) return;
  }
}
