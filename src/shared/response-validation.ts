/**
 * Checks one HTTP response against what the spec documents for its operation: the status is documented, the
 * content type and body match (Ajv 2020 over the dereferenced spec), and the declared headers are present and
 * well-formed. Used by the contract checks (instead of Dredd's example-inferred checks) and by the tests that hold
 * the emulator to the spec.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { createSpecAjv, findResponse, type JsonSchema, listOperations, type Operation } from "./spec.js";
import { moreSpecificTemplateFirst } from "./path-templates.js";

export interface ObservedResponse {
  status: number;
  /** Response headers; names are matched case-insensitively. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The raw body text ("" when empty). */
  body: string;
}

/** Turns Ajv's errors into short, path-first sentences: `body/connections/0/is_enabled must be boolean`. */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined, prefix: string): string[] {
  return (errors ?? []).map((e) => {
    const where = `${prefix}${e.instancePath}`;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === "additionalProperties") return `${where} has unexpected property '${String(params.additionalProperty)}'`;
    if (e.keyword === "required") return `${where} is missing required property '${String(params.missingProperty)}'`;
    if (e.keyword === "enum") return `${where} must be one of ${JSON.stringify(params.allowedValues)}`;
    return `${where} ${e.message ?? e.keyword}`;
  });
}

function headerValue(headers: ObservedResponse["headers"], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Header values arrive as text; coerce them to the type their schema declares before validating. */
function coerceHeader(raw: string, schema: JsonSchema): unknown {
  if ((schema.type === "integer" || schema.type === "number") && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  if (schema.type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

export type ResponseValidator = (op: Operation, response: ObservedResponse) => string[];

/** Builds a validator that compiles each schema once and returns the problems found (empty when valid). */
export function createResponseValidator(): ResponseValidator {
  const ajv = createSpecAjv();
  const compiled = new WeakMap<JsonSchema, ValidateFunction>();
  const compile = (schema: JsonSchema) => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(schema, validate);
    }
    return validate;
  };

  return (op, response) => {
    const where = `${op.method.toUpperCase()} ${op.pathTemplate}`;
    const documented = findResponse(op, response.status);
    if (!documented) return [`status ${response.status} is not documented for ${where}`];

    const problems: string[] = [];
    const media = documented.content?.["application/json"];
    const contentType = headerValue(response.headers, "content-type") ?? "";
    if (media) {
      if (!/^application\/json\s*(;|$)/i.test(contentType)) problems.push(`content-type is '${contentType}', expected application/json`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(response.body);
      } catch {
        problems.push(`body is not JSON: ${JSON.stringify(response.body.slice(0, 80))}`);
        return problems;
      }
      if (media.schema) {
        const validate = compile(media.schema);
        if (!validate(parsed)) problems.push(...formatAjvErrors(validate.errors, "body"));
      }
    } else if (response.body.trim() !== "") {
      problems.push(`status ${response.status} documents no body, but one was sent`);
    }

    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      const raw = headerValue(response.headers, name);
      if (raw === undefined) {
        if (header.required) problems.push(`header ${name} is missing`);
        continue;
      }
      if (header.schema) {
        const validate = compile(header.schema);
        if (!validate(coerceHeader(raw, header.schema))) problems.push(...formatAjvErrors(validate.errors, `header ${name}`).map((p) => `${p} (got '${raw}')`));
      }
    }
    return problems;
  };
}

/**
 * Maps a concrete request path (`/organizations/org_1/connections`) to the spec operation it calls,
 * or undefined when no operation matches. Path parameters match any single non-empty segment.
 */
export function createOperationMatcher(operations: Operation[] = listOperations()): (method: string, path: string) => Operation | undefined {
  const routes = operations.map((op) => ({
    op,
    pattern: new RegExp(`^${op.pathTemplate.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
  }));
  // Where two templates match one path, the emulator's rule decides (src/shared/path-templates.ts).
  routes.sort((a, b) => moreSpecificTemplateFirst(a.op.pathTemplate, b.op.pathTemplate));
  return (method, path) => {
    const m = method.toLowerCase();
    return routes.find((r) => r.op.method === m && r.pattern.test(path))?.op;
  };
}
