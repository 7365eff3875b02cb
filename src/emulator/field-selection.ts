/**
 * `?fields=...&include_fields=...` as Auth0 answers it: keep (or drop) the listed top-level fields. With
 * `include_fields=true` the service also answers some fields the list leaves out; the `fields` parameter's
 * `x-returned-with-include-fields` extension in the spec names them. With `include_fields=false` every listed
 * field goes, those included (recorded: `fields=name,id&include_fields=false` answered neither).
 */
import type { Operation, ParameterObject } from "../shared/spec.js";

/** The fields an `include_fields=true` answer carries whatever `fields` lists, read from the operation's `fields` parameter. */
export function fieldsReturnedWithIncludeFields(operation: Operation): ReadonlySet<string> {
  const fields = operation.parameters.find(
    (p): p is ParameterObject & { "x-returned-with-include-fields"?: string[] } => p.in === "query" && p.name === "fields",
  );
  return new Set(fields?.["x-returned-with-include-fields"] ?? []);
}

export function selectFields<T extends object>(
  view: T,
  fields: string | undefined,
  includeFields: boolean,
  addedWhenIncluding: ReadonlySet<string>,
): Partial<T> {
  if (fields === undefined || fields.trim() === "") return view;
  const listed = new Set(
    fields
      .split(",")
      .map((f) => f.trim())
      .filter(Boolean),
  );
  const keep = includeFields ? (key: string) => listed.has(key) || addedWhenIncluding.has(key) : (key: string) => !listed.has(key);
  return Object.fromEntries(Object.entries(view).filter(([key]) => keep(key))) as Partial<T>;
}
