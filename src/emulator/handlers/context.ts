/** What an operation handler receives once the request has passed auth, scope and validation. */
import type { Operation } from "../../shared/spec.js";
import type { TokenClaims } from "../auth.js";
import type { Reply } from "../responses.js";
import type { LinkDefaults } from "../spec-facts.js";
import type { TenantStore } from "../store.js";

export interface OperationContext {
  /** Path parameters, validated against the spec. */
  params: Record<string, string>;
  /** Query parameters, coerced to their declared types, with the spec's defaults filled in. */
  query: Readonly<Record<string, unknown>>;
  /** The names of the query parameters the request itself sent (before defaults were filled in). */
  sentQuery: ReadonlySet<string>;
  /** The parsed body, validated against the spec (undefined for operations without one). */
  body: unknown;
  token: TokenClaims;
  store: TenantStore;
  domain: string;
  linkDefaults: LinkDefaults;
  /** The spec's operation being served (for its extensions). */
  operation: Operation;
}

export type OperationHandler = (context: OperationContext) => Reply;

/** Handlers by the spec's operationId. */
export type HandlerTable = Record<string, OperationHandler>;

/** Path parameters are checked against the spec before a handler runs, so they are present. */
export function param(context: OperationContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`path parameter ${name} missing after validation`);
  return value;
}

/** `page`/`per_page` as numbers (the spec's defaults were filled in by validation). */
export function paging(context: OperationContext): { page: number; perPage: number; includeTotals: boolean } {
  return {
    page: (context.query.page as number | undefined) ?? 0,
    perPage: context.query.per_page as number,
    includeTotals: context.query.include_totals === true,
  };
}
