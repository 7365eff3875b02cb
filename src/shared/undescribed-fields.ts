/**
 * Finds the fields of a JSON value that its schema does not describe, at any depth. Response schemas are left open
 * on purpose (a client must not break when Auth0 adds a field), so a valid answer can carry fields the spec has
 * never heard of; this is how a contract run notices them. An object the schema leaves free-form on purpose — one
 * that sets `additionalProperties` (metadata, a strategy's `options`), or names no properties at all — is not
 * searched. Where the schema composes (`allOf`, `anyOf`, `oneOf`), a field counts as described when a part that
 * applies to the value describes it; for `anyOf`/`oneOf` those are the branches the value is valid against.
 */
import type { ValidateFunction } from "ajv";
import { createSpecAjv, type JsonSchema } from "./spec.js";

export interface UndescribedField {
  /** Where the field is, JSONPath-style with array positions folded: `$.connections[*].organization_member_access_level`. */
  path: string;
  /** The field's value (of its first occurrence). */
  value: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const asSchemas = (value: unknown): JsonSchema[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** A JSONPath member step: `.name`, or `['odd name']` for names that are not identifiers. */
function member(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}['${name.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
}

/** Builds a finder that compiles each composition branch once. */
export function createUndescribedFieldFinder(): (schema: JsonSchema, value: unknown) => UndescribedField[] {
  const ajv = createSpecAjv({ allErrors: false });
  const compiled = new WeakMap<JsonSchema, ValidateFunction>();
  const matches = (schema: JsonSchema, value: unknown): boolean => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(schema, validate);
    }
    return validate(value);
  };

  /** The schema and every part of it that applies to this value. */
  const applicable = (schema: JsonSchema, value: unknown, into: JsonSchema[] = []): JsonSchema[] => {
    into.push(schema);
    for (const part of asSchemas(schema.allOf)) applicable(part, value, into);
    for (const keyword of ["anyOf", "oneOf"] as const) {
      const branches = asSchemas(schema[keyword]);
      if (branches.length === 0) continue;
      const valid = branches.filter((branch) => matches(branch, value));
      // An invalid value is reported by validation; here every branch then counts, so no field is blamed twice.
      for (const branch of valid.length > 0 ? valid : branches) applicable(branch, value, into);
    }
    return into;
  };

  const walk = (schemas: JsonSchema[], value: unknown, path: string, found: Map<string, UndescribedField>): void => {
    const parts = schemas.flatMap((schema) => applicable(schema, value));
    if (Array.isArray(value)) {
      const itemSchemas = parts.map((part) => part.items).filter(isObject);
      if (itemSchemas.length === 0) return;
      for (const item of value) walk(itemSchemas, item, `${path}[*]`, found);
      return;
    }
    if (!isObject(value)) return;
    const freeForm = parts.some((part) => part.additionalProperties !== undefined && part.additionalProperties !== false);
    const describing = parts.filter((part) => isObject(part.properties) || isObject(part.patternProperties));
    for (const [name, child] of Object.entries(value)) {
      const childSchemas = describing.flatMap((part) => {
        const property = isObject(part.properties) ? part.properties[name] : undefined;
        if (isObject(property)) return [property];
        // A boolean schema (`name: true`) describes the field and says nothing of its inside.
        if (property === true) return [{}];
        const patterns = isObject(part.patternProperties) ? Object.entries(part.patternProperties) : [];
        return patterns.filter(([pattern, schema]) => isObject(schema) && new RegExp(pattern, "u").test(name)).map(([, schema]) => schema as JsonSchema);
      });
      const where = member(path, name);
      if (childSchemas.length > 0) walk(childSchemas, child, where, found);
      else if (!freeForm && describing.length > 0 && !found.has(where)) found.set(where, { path: where, value: child });
    }
  };

  return (schema, value) => {
    const found = new Map<string, UndescribedField>();
    walk([schema], value, "$", found);
    return [...found.values()];
  };
}
