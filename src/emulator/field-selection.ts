/**
 * `GET /connections/{id}?fields=...&include_fields=...` as Auth0 answers it: keep (or drop) the listed top-level
 * fields, except those the service returns whatever the list says. That list is the `fields` parameter's
 * `x-always-returned` extension in the spec.
 */
import type { Operation, ParameterObject } from "../shared/spec.js";

/** The fields `fields` cannot remove, read from the operation's `fields` parameter. */
export function alwaysReturnedFields(operation: Operation): ReadonlySet<string> {
  const fields = operation.parameters.find((p) => p.in === "query" && p.name === "fields") as (ParameterObject & { "x-always-returned"?: string[] }) | undefined;
  return new Set(fields?.["x-always-returned"] ?? []);
}

export function selectFields<T extends object>(view: T, fields: string | undefined, includeFields: boolean, alwaysReturned: ReadonlySet<string>): Partial<T> {
  if (fields === undefined || fields.trim() === "") return view;
  const listed = new Set(
    fields
      .split(",")
      .map((f) => f.trim())
      .filter(Boolean),
  );
  return Object.fromEntries(Object.entries(view).filter(([key]) => alwaysReturned.has(key) || listed.has(key) === includeFields)) as Partial<T>;
}
