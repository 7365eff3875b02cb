/**
 * What an operation handler receives once the request has passed auth, scope and validation, typed from the
 * generated `operations[operationId]`: a handler can read only the path parameters, query parameters and body
 * fields its operation has in the spec, and the handler table must name every operationId of the spec (and no
 * other) at compile time. The types hold at run time because the pipeline validated the request against the same
 * spec before the handler runs.
 */
import type { operations } from "../../../generated/schema.js";
import type { Operation } from "../../shared/spec.js";
import type { TokenClaims } from "../auth.js";
import type { Reply } from "../responses.js";
import type { LinkDefaults } from "../spec-facts.js";
import type { TenantStore } from "../store.js";

/** Every operationId of the spec. */
export type OperationId = keyof operations;

type ParametersOf<Id extends OperationId> = operations[Id]["parameters"];
/** The operation's path parameters (`{}` when it has none). */
export type PathOf<Id extends OperationId> = ParametersOf<Id> extends { path: infer Path } ? Path : Record<never, never>;
/** The operation's query parameters (`{}` when it has none). */
export type QueryOf<Id extends OperationId> =
  ParametersOf<Id> extends { query?: infer Query } ? ([Query] extends [never] ? Record<never, never> : NonNullable<Query>) : Record<never, never>;
/** The operation's JSON request body (`undefined` when it takes none). */
export type BodyOf<Id extends OperationId> = operations[Id] extends { requestBody: { content: { "application/json": infer Body } } } ? Body : undefined;

export interface OperationContext<Id extends OperationId = OperationId> {
  /** Path parameters, validated against the spec. */
  params: PathOf<Id>;
  /** Query parameters, coerced to their declared types, with the spec's defaults filled in. */
  query: Readonly<QueryOf<Id>>;
  /** The names of the query parameters the request itself sent (before defaults were filled in). */
  sentQuery: ReadonlySet<string>;
  /** The parsed body, validated against the spec (undefined for operations without one). */
  body: BodyOf<Id>;
  token: TokenClaims;
  store: TenantStore;
  domain: string;
  linkDefaults: LinkDefaults;
  /** The spec's operation being served (for its extensions). */
  operation: Operation;
}

export type OperationHandler<Id extends OperationId = OperationId> = (context: OperationContext<Id>) => Reply;

/** Handlers by the spec's operationId: exactly one for each operation. */
export type HandlerTable = { [Id in OperationId]: OperationHandler<Id> };

/** Some of the table (one file's handlers); `satisfies` it so that a misspelt operationId is a compile error. */
export type HandlersFor<Ids extends OperationId> = { [Id in Ids]: OperationHandler<Id> };

/** The query parameters of page paging, as every list with pages has them. */
export interface PagingQuery {
  page?: number;
  per_page?: number;
  include_totals?: boolean;
}

/** `page`/`per_page` as numbers (validation filled in the spec's defaults, so `per_page` is there). */
export function paging(query: Readonly<PagingQuery>): { page: number; perPage: number; includeTotals: boolean } {
  if (query.per_page === undefined) throw new Error("per_page missing after validation filled in the spec's default");
  return { page: query.page ?? 0, perPage: query.per_page, includeTotals: query.include_totals === true };
}
