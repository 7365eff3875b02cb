/**
 * Scopes a request needs beyond its operation's own, depending on which body fields it sends: the operation's
 * `x-additional-scopes` extension in the spec, a list of `{ field, scopes }` (any one of `scopes` is enough). For
 * example `POST /organizations` with `enabled_connections` also needs `create:organization_connections`.
 */
import type { Operation } from "../shared/spec.js";
import { insufficientScope } from "./errors.js";

interface AdditionalScopeRule {
  field: string;
  scopes: string[];
}

export type AdditionalScopeCheck = (body: unknown, granted: ReadonlySet<string>) => void;

function rulesOf(operation: Operation): AdditionalScopeRule[] {
  const rules = (operation.operation as { "x-additional-scopes"?: unknown })["x-additional-scopes"];
  if (rules === undefined) return [];
  if (
    !Array.isArray(rules) ||
    !rules.every((rule: unknown) => typeof (rule as { field?: unknown })?.field === "string" && Array.isArray((rule as { scopes?: unknown })?.scopes))
  ) {
    throw new Error(`${operation.operationId}: x-additional-scopes must be a list of { field, scopes }`);
  }
  return rules as AdditionalScopeRule[];
}

/** Undefined when the operation has no such rules (most do not). */
export function additionalScopeCheck(operation: Operation): AdditionalScopeCheck | undefined {
  const rules = rulesOf(operation);
  if (rules.length === 0) return undefined;
  return (body, granted) => {
    if (typeof body !== "object" || body === null) return;
    for (const { field, scopes } of rules) {
      if ((body as Record<string, unknown>)[field] === undefined) continue;
      if (!scopes.some((scope) => granted.has(scope))) throw insufficientScope(`Insufficient scope, expected any of: ${scopes.join(",")}`);
    }
  };
}
