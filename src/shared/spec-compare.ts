/**
 * Compares two dereferenced OpenAPI documents from a client's point of view. The rules are direction-aware:
 * a request schema may widen (clients keep sending what they sent) but not narrow, and a response schema may
 * narrow (clients keep reading what they read) but not widen or lose fields. Each change names the rule that
 * classified it, so a reviewer can see why it is, or is not, breaking.
 *
 * Each change also says where it is in a form a program can match: the operation (as the old side names it) and a
 * JSON-pointer-like place inside it (`/response/200/body/organizations/[]/name/maxLength`), with the old and new
 * values where there are any. `npm run diff` prints the readable `where`; `official-diff` matches decisions on these.
 */
import { listOperations, type JsonSchema, type OpenApiDocument, type Operation, type ParameterObject } from "./spec.js";

export type Rule =
  | "operation-removed"
  | "operation-added"
  | "scope-changed"
  | "scope-alternative-added"
  | "status-code-removed"
  | "status-code-added"
  | "response-body-removed"
  | "response-header-removed"
  | "response-header-added"
  | "response-field-removed"
  | "response-field-added"
  | "response-field-optional"
  | "response-enum-value-removed"
  | "response-enum-value-added"
  | "response-type-widened"
  | "response-type-narrowed"
  | "request-parameter-removed"
  | "request-parameter-required"
  | "request-parameter-added"
  | "request-parameter-optional"
  | "request-body-required"
  | "request-body-removed"
  | "request-field-removed"
  | "request-field-required"
  | "request-field-added"
  | "request-field-optional"
  | "request-type-narrowed"
  | "request-type-widened"
  | "request-default-changed"
  | "release-lifecycle-changed";

export interface Change {
  breaking: boolean;
  rule: Rule;
  /** The operation (`PATCH /connections/{id}`) and the place in it, for people. */
  where: string;
  message: string;
  /** The operation as the old side writes it (the new side's, for an added operation): `PATCH /connections/{id}`. */
  operation: string;
  /**
   * The place inside the operation: `/` for the operation itself, then `/security`, `/x-release-lifecycle`,
   * `/parameter/query/from`, `/request/body/…`, `/response/404`, `/response/200/header/X-RateLimit-Limit`,
   * `/response/200/body/…`; inside a schema a field's name, `[]` for array items, `oneOf[1]` for a branch, and
   * last the keyword that differs (`maxLength`, `enum`, `type`, `pattern`, `default`…) where one does.
   */
  pointer: string;
  /** The old and new values of what changed, where there are values (a bound, an enum, the scopes, a default). */
  before?: unknown;
  after?: unknown;
}

type Direction = "request" | "response";

/** A place in an operation: the readable `where` and the pointer segments, built up together. */
interface Place {
  operation: string;
  where: string;
  segments: string[];
}

/** The place one step further in: `text` is appended to `where`, `segments` to the pointer. */
const within = (place: Place, text: string, ...segments: string[]): Place => ({
  operation: place.operation,
  where: `${place.where}${text}`,
  segments: [...place.segments, ...segments],
});

class ChangeList {
  readonly changes: Change[] = [];
  /** `keyword` ends the pointer when the change is one keyword of the schema at `place`. */
  add(breaking: boolean, rule: Rule, place: Place, message: string, detail: { keyword?: string; before?: unknown; after?: unknown } = {}) {
    const segments = detail.keyword ? [...place.segments, detail.keyword] : place.segments;
    const change: Change = { breaking, rule, where: place.where, message, operation: place.operation, pointer: `/${segments.join("/")}` };
    if ("before" in detail) change.before = detail.before;
    if ("after" in detail) change.after = detail.after;
    this.changes.push(change);
  }
}

/** Every change between two dereferenced specs, breaking ones first (then in document order). */
export function compareSpecs(base: OpenApiDocument, head: OpenApiDocument): Change[] {
  const list = new ChangeList();
  const key = (op: Operation) => `${op.method.toUpperCase()} ${op.pathTemplate.replace(/\{[^}]*\}/g, "{}")}`;
  const label = (op: Operation) => `${op.method.toUpperCase()} ${op.pathTemplate}`;
  const headOps = new Map(listOperations(head).map((op) => [key(op), op]));
  const baseKeys = new Set<string>();

  const place = (op: Operation, where = label(op)): Place => ({ operation: label(op), where, segments: [] });

  for (const before of listOperations(base)) {
    baseKeys.add(key(before));
    const after = headOps.get(key(before));
    if (!after) list.add(true, "operation-removed", place(before), "operation removed");
    else compareOperations(before, after, place(before, label(after)), list);
  }
  for (const [k, after] of headOps) if (!baseKeys.has(k)) list.add(false, "operation-added", place(after), "new operation");

  return [...list.changes.filter((c) => c.breaking), ...list.changes.filter((c) => !c.breaking)];
}

/**
 * An operation's scopes are alternatives (a token with any one of them may call it; none listed: any token).
 * Breaking when a token that was accepted can be refused: a scope dropped, or scopes required where none were.
 */
function compareScopes(before: string[], after: string[], where: Place, list: ChangeList) {
  const oldScopes = [...before].sort().join(" ");
  const newScopes = [...after].sort().join(" ");
  if (oldScopes === newScopes) return;
  const dropped = before.some((scope) => !after.includes(scope));
  const tightened = after.length > 0 && (before.length === 0 || dropped);
  const at = within(where, "", "security");
  const values = { before: [...before].sort(), after: [...after].sort() };
  if (tightened) list.add(true, "scope-changed", at, `accepted scopes changed from "${oldScopes}" to "${newScopes}"`, values);
  else list.add(false, "scope-alternative-added", at, `accepted scopes widened from "${oldScopes}" to "${newScopes}"`, values);
}

/**
 * Auth0 marks each operation of its document `x-release-lifecycle` (GA, EA, Beta, deprecated…); an operation
 * without the mark is taken as generally available, so marking one `GA` is no change.
 */
function compareLifecycles(before: Operation, after: Operation, where: Place, list: ChangeList) {
  const lifecycle = (op: Operation) => {
    const stage = (op.operation as unknown as Record<string, unknown>)["x-release-lifecycle"];
    return typeof stage === "string" ? stage : "GA";
  };
  const [oldStage, newStage] = [lifecycle(before), lifecycle(after)];
  if (oldStage === newStage) return;
  list.add(false, "release-lifecycle-changed", within(where, "", "x-release-lifecycle"), `release stage ${oldStage} → ${newStage}`, {
    before: oldStage,
    after: newStage,
  });
}

function compareOperations(before: Operation, after: Operation, where: Place, list: ChangeList) {
  compareScopes(before.scopes, after.scopes, where, list);
  compareLifecycles(before, after, where, list);

  compareParameters(before.parameters, after.parameters, where, list);
  compareRequestBodies(before, after, where, list);

  const oldResponses = before.operation.responses;
  const newResponses = after.operation.responses;
  for (const [status, oldResponse] of Object.entries(oldResponses)) {
    const newResponse = newResponses[status];
    const at = within(where, ` response ${status}`, "response", status);
    if (!newResponse) {
      list.add(true, "status-code-removed", at, `status ${status} is no longer documented`);
      continue;
    }
    for (const name of Object.keys(oldResponse.headers ?? {})) {
      if (!newResponse.headers?.[name]) list.add(true, "response-header-removed", within(at, "", "header", name), `header ${name} removed`);
    }
    for (const name of Object.keys(newResponse.headers ?? {})) {
      if (!oldResponse.headers?.[name]) list.add(false, "response-header-added", within(at, "", "header", name), `new header ${name}`);
    }
    const oldSchema = oldResponse.content?.["application/json"]?.schema;
    const newSchema = newResponse.content?.["application/json"]?.schema;
    if (oldSchema && !newSchema) list.add(true, "response-body-removed", within(at, "", "body"), "the JSON body is gone");
    else if (oldSchema && newSchema) compareSchemas(oldSchema, newSchema, "response", within(at, " body", "body"), list);
  }
  for (const status of Object.keys(newResponses)) {
    if (!oldResponses[status]) list.add(false, "status-code-added", within(where, ` response ${status}`, "response", status), `new status ${status}`);
  }
}

function compareParameters(before: ParameterObject[], after: ParameterObject[], where: Place, list: ChangeList) {
  // Path parameters are matched by position: renaming `{id}` changes no request a client sends.
  const byKey = (params: ParameterObject[]) => {
    const map = new Map<string, ParameterObject>();
    let position = 0;
    for (const p of params) map.set(p.in === "path" ? `path:#${position++}` : `${p.in}:${p.name.toLowerCase()}`, p);
    return map;
  };
  const oldParams = byKey(before);
  const newParams = byKey(after);
  const placeOf = (p: ParameterObject) => within(where, ` ${p.in} parameter ${p.name}`, "parameter", p.in, p.name);
  for (const [k, oldParam] of oldParams) {
    const at = placeOf(oldParam);
    const newParam = newParams.get(k);
    if (!newParam) {
      list.add(true, "request-parameter-removed", at, "parameter removed (a client still sending it may be rejected)");
      continue;
    }
    if (!oldParam.required && newParam.required) list.add(true, "request-parameter-required", at, "parameter became required");
    if (oldParam.required && !newParam.required) list.add(false, "request-parameter-optional", at, "parameter became optional");
    if (oldParam.schema && newParam.schema) compareSchemas(asSent(oldParam), asSent(newParam), "request", at, list);
  }
  for (const [k, newParam] of newParams) {
    if (oldParams.has(k)) continue;
    const at = placeOf(newParam);
    if (newParam.required) list.add(true, "request-parameter-required", at, "new required parameter");
    else list.add(false, "request-parameter-added", at, "new optional parameter");
  }
}

/**
 * A parameter's schema as far as requests can tell: a path segment is never empty (an empty one is another
 * URL), so a string path parameter is compared as having at least `minLength: 1`, and stating that bound
 * in the spec is no narrowing.
 */
function asSent(parameter: ParameterObject): JsonSchema {
  const schema = parameter.schema!;
  if (parameter.in !== "path" || schema.type !== "string") return schema;
  return { ...schema, minLength: Math.max(typeof schema.minLength === "number" ? schema.minLength : 0, 1) };
}

function compareRequestBodies(before: Operation, after: Operation, where: Place, list: ChangeList) {
  const oldBody = before.operation.requestBody;
  const newBody = after.operation.requestBody;
  const at = within(where, " request body", "request", "body");
  if (!oldBody) {
    if (newBody?.required) list.add(true, "request-body-required", at, "a body is now required");
    return;
  }
  if (!newBody) {
    list.add(true, "request-body-removed", at, "the operation no longer takes a body");
    return;
  }
  if (!oldBody.required && newBody.required) list.add(true, "request-body-required", at, "the body became required");
  const oldSchema = oldBody.content["application/json"]?.schema;
  const newSchema = newBody.content["application/json"]?.schema;
  if (oldSchema && newSchema) compareSchemas(oldSchema, newSchema, "request", at, list);
}

const ALL_TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"];

/** The JSON types a schema admits (`integer` counts as within `number`). No `type` means any type. */
function typesOf(schema: JsonSchema): Set<string> {
  const declared = schema.type === undefined ? ALL_TYPES : ([] as unknown[]).concat(schema.type).map(String);
  const types = new Set(declared);
  if (schema.nullable === true) types.add("null");
  if (types.has("number")) types.add("integer");
  return types;
}

/**
 * `allOf` folded into one schema so that its properties and `required` lists compare like a plain object's; and an
 * `anyOf` of objects (a whole object or a field selection of it, as the spec answers a read with `fields`) folded
 * into the object it may be: every branch's properties, required only what every branch requires.
 */
function flatten(schema: JsonSchema): JsonSchema {
  const nullable = foldNullable(schema);
  if (nullable) return nullable;
  if (Array.isArray(schema.anyOf)) return foldObjectAlternatives(schema);
  if (!Array.isArray(schema.allOf)) return schema;
  const merged: JsonSchema = { ...schema, allOf: undefined };
  const properties: Record<string, JsonSchema> = { ...((schema.properties as Record<string, JsonSchema>) ?? {}) };
  const required = new Set<string>((schema.required as string[]) ?? []);
  for (const part of (schema.allOf as JsonSchema[]).map(flatten)) {
    Object.assign(properties, part.properties ?? {});
    for (const name of (part.required as string[]) ?? []) required.add(name);
    for (const [keyword, value] of Object.entries(part)) if (!(keyword in merged) || merged[keyword] === undefined) merged[keyword] = value;
  }
  return { ...merged, properties, required: [...required] };
}

/**
 * `oneOf: [X, { type: "null" }]` — a shared value schema that may also be `null` — read as X with `null` allowed, the way
 * an inline `type: [..., "null"]` (and `null` in its enum) says the same thing.
 */
function foldNullable(schema: JsonSchema): JsonSchema | undefined {
  for (const combinator of ["oneOf", "anyOf"] as const) {
    const branches = schema[combinator];
    if (!Array.isArray(branches) || branches.length !== 2) continue;
    const onlyNull = (branch: unknown) =>
      isObject(branch) && branch.type === "null" && Object.keys(branch).every((key) => key === "type" || key === "description");
    const nullAt = branches.findIndex(onlyNull);
    if (nullAt < 0) continue;
    const other = flatten(branches[1 - nullAt] as JsonSchema);
    // Only a value schema (an enum, a string…): a nullable object keeps its branches, which decisions already name.
    if (typesOf(other).has("object")) continue;
    const { [combinator]: _alternatives, ...rest } = schema;
    const folded: JsonSchema = { ...other, ...rest, type: [...typesOf(other), "null"] };
    if (Array.isArray(other.enum)) folded.enum = [...(other.enum as unknown[]), null];
    return folded;
  }
  return undefined;
}

function foldObjectAlternatives(schema: JsonSchema): JsonSchema {
  const branches = (schema.anyOf as JsonSchema[]).map(flatten);
  const isObjectSchema = (branch: JsonSchema) => branch.type === "object" || (branch.type === undefined && isObject(branch.properties));
  if (branches.length === 0 || !branches.every(isObjectSchema)) return schema;
  const properties: Record<string, JsonSchema> = {};
  for (const branch of branches) Object.assign(properties, branch.properties ?? {});
  const requiredBy = branches.map((branch) => new Set<string>((branch.required as string[]) ?? []));
  const required = [...requiredBy[0]!].filter((name) => requiredBy.every((names) => names.has(name)));
  const { anyOf: _alternatives, ...rest } = schema;
  return { ...rest, type: "object", properties, required };
}

const show = (value: unknown) => JSON.stringify(value);

function compareSchemas(oldRaw: JsonSchema, newRaw: JsonSchema, direction: Direction, where: Place, list: ChangeList, depth = 0) {
  if (depth > 32) return; // the specs are dereferenced; a recursive schema would otherwise never end
  const before = flatten(oldRaw);
  const after = flatten(newRaw);
  const isRequest = direction === "request";

  // Types: a request may accept more, a response may return less.
  const oldTypes = typesOf(before);
  const newTypes = typesOf(after);
  const dropped = [...oldTypes].filter((t) => !newTypes.has(t));
  const added = [...newTypes].filter((t) => !oldTypes.has(t));
  const types = { keyword: "type", before: [...oldTypes].sort(), after: [...newTypes].sort() };
  if (dropped.length > 0) {
    if (isRequest) list.add(true, "request-type-narrowed", where, `no longer accepts ${dropped.join(", ")}`, types);
    else list.add(false, "response-type-narrowed", where, `no longer returns ${dropped.join(", ")}`, types);
  }
  if (added.length > 0) {
    if (isRequest) list.add(false, "request-type-widened", where, `now also accepts ${added.join(", ")}`, types);
    else list.add(true, "response-type-widened", where, `may now return ${added.join(", ")}`, types);
  }

  compareEnums(before, after, direction, where, list);
  if (isRequest) compareRequestConstraints(before, after, where, list);
  compareProperties(before, after, direction, where, list, depth);

  if (isObject(before.items) && isObject(after.items)) compareSchemas(before.items, after.items, direction, within(where, "[]", "[]"), list, depth + 1);

  for (const combinator of ["oneOf", "anyOf"] as const) {
    const oldBranches = (before[combinator] as JsonSchema[] | undefined) ?? [];
    const newBranches = (after[combinator] as JsonSchema[] | undefined) ?? [];
    if (oldBranches.length === 0 && newBranches.length === 0) continue;
    const shared = Math.min(oldBranches.length, newBranches.length);
    for (let i = 0; i < shared; i++)
      compareSchemas(oldBranches[i]!, newBranches[i]!, direction, within(where, ` (${combinator}[${i}])`, `${combinator}[${i}]`), list, depth + 1);
    const counts = { keyword: combinator, before: oldBranches.length, after: newBranches.length };
    if (newBranches.length > oldBranches.length) {
      if (isRequest) list.add(false, "request-type-widened", where, `${combinator} gained ${newBranches.length - shared} alternative(s)`, counts);
      else list.add(true, "response-type-widened", where, `${combinator} gained ${newBranches.length - shared} alternative(s)`, counts);
    }
    if (oldBranches.length > newBranches.length) {
      if (isRequest) list.add(true, "request-type-narrowed", where, `${combinator} lost ${oldBranches.length - shared} alternative(s)`, counts);
      else list.add(false, "response-type-narrowed", where, `${combinator} lost ${oldBranches.length - shared} alternative(s)`, counts);
    }
  }
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compareEnums(before: JsonSchema, after: JsonSchema, direction: Direction, where: Place, list: ChangeList) {
  const oldValues = Array.isArray(before.enum) ? before.enum.map(show) : undefined;
  const newValues = Array.isArray(after.enum) ? after.enum.map(show) : undefined;
  if (!oldValues && !newValues) return;
  const isRequest = direction === "request";
  const values = { keyword: "enum", before: before.enum, after: after.enum };
  if (!oldValues && newValues) {
    if (isRequest) list.add(true, "request-type-narrowed", where, `now limited to ${newValues.join(", ")}`, values);
    else list.add(false, "response-type-narrowed", where, `now limited to ${newValues.join(", ")}`, values);
    return;
  }
  if (oldValues && !newValues) {
    if (isRequest) list.add(false, "request-type-widened", where, "no longer limited to a list of values", values);
    else list.add(true, "response-type-widened", where, "no longer limited to a list of values", values);
    return;
  }
  const removed = oldValues!.filter((v) => !newValues!.includes(v));
  const added = newValues!.filter((v) => !oldValues!.includes(v));
  if (removed.length > 0) {
    // In a response a removed value still breaks typed clients: code matching on it no longer compiles.
    if (isRequest) list.add(true, "request-type-narrowed", where, `enum value(s) ${removed.join(", ")} no longer accepted`, values);
    else list.add(true, "response-enum-value-removed", where, `enum value(s) ${removed.join(", ")} removed`, values);
  }
  if (added.length > 0) {
    // A new value in a response reaches clients whose code handles only the old ones.
    if (isRequest) list.add(false, "request-type-widened", where, `new enum value(s) ${added.join(", ")}`, values);
    else list.add(true, "response-enum-value-added", where, `new enum value(s) ${added.join(", ")} may be returned`, values);
  }
}

/** Limits a request must stay within: tightening one rejects requests that used to be accepted. */
function compareRequestConstraints(before: JsonSchema, after: JsonSchema, where: Place, list: ChangeList) {
  const upper = ["maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum"];
  const lower = ["minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum"];
  const num = (schema: JsonSchema, keyword: string) => (typeof schema[keyword] === "number" ? schema[keyword] : undefined);
  for (const keyword of [...upper, ...lower]) {
    const oldLimit = num(before, keyword);
    const newLimit = num(after, keyword);
    if (oldLimit === newLimit) continue;
    const isUpper = upper.includes(keyword);
    const tighter = newLimit !== undefined && (oldLimit === undefined || (isUpper ? newLimit < oldLimit : newLimit > oldLimit));
    const change = `${keyword} ${oldLimit ?? "none"} → ${newLimit ?? "none"}`;
    const values = { keyword, before: oldLimit, after: newLimit };
    if (tighter) list.add(true, "request-type-narrowed", where, change, values);
    else list.add(false, "request-type-widened", where, change, values);
  }
  for (const keyword of ["pattern", "format"]) {
    if (before[keyword] === after[keyword]) continue;
    const values = { keyword, before: before[keyword], after: after[keyword] };
    if (after[keyword] === undefined) list.add(false, "request-type-widened", where, `${keyword} ${show(before[keyword])} dropped`, values);
    else list.add(true, "request-type-narrowed", where, `${keyword} ${show(before[keyword] ?? null)} → ${show(after[keyword])}`, values);
  }
  if (before.additionalProperties !== false && after.additionalProperties === false) {
    list.add(true, "request-type-narrowed", where, "no longer accepts fields it does not list", {
      keyword: "additionalProperties",
      before: before.additionalProperties,
      after: false,
    });
  }
  // A default is what the service assumes when the client leaves the value out: a different one changes the outcome.
  if (show(before.default) !== show(after.default)) {
    list.add(false, "request-default-changed", where, `default ${show(before.default) ?? "none"} → ${show(after.default) ?? "none"}`, {
      keyword: "default",
      before: before.default,
      after: after.default,
    });
  }
}

function compareProperties(before: JsonSchema, after: JsonSchema, direction: Direction, where: Place, list: ChangeList, depth: number) {
  const oldProps = (before.properties as Record<string, JsonSchema> | undefined) ?? {};
  const newProps = (after.properties as Record<string, JsonSchema> | undefined) ?? {};
  const oldRequired = new Set((before.required as string[] | undefined) ?? []);
  const newRequired = new Set((after.required as string[] | undefined) ?? []);
  const isRequest = direction === "request";

  for (const [name, oldProp] of Object.entries(oldProps)) {
    const at = within(where, ` ${name}`, name);
    const newProp = newProps[name];
    if (!newProp) {
      if (isRequest) list.add(true, "request-field-removed", at, "field removed (a client still sending it may be rejected)");
      else list.add(true, "response-field-removed", at, "field removed");
      continue;
    }
    if (!oldRequired.has(name) && newRequired.has(name)) {
      if (isRequest) list.add(true, "request-field-required", at, "field became required");
      else list.add(false, "response-field-added", at, "field is now always present");
    }
    if (oldRequired.has(name) && !newRequired.has(name)) {
      if (isRequest) list.add(false, "request-field-optional", at, "field became optional");
      else list.add(true, "response-field-optional", at, "field may now be missing");
    }
    compareSchemas(oldProp, newProp, direction, at, list, depth + 1);
  }
  for (const name of Object.keys(newProps)) {
    if (name in oldProps) continue;
    const at = within(where, ` ${name}`, name);
    if (isRequest && newRequired.has(name)) list.add(true, "request-field-required", at, "new required field");
    else if (isRequest) list.add(false, "request-field-added", at, "new optional field");
    else list.add(false, "response-field-added", at, "new field");
  }
}
