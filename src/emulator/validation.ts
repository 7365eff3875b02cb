/**
 * Request validation from the spec: for every operation, validators for its path parameters, its query string
 * (strings coerced to the declared types, defaults filled in) and its body. Problems come back as Auth0's 400s
 * (`invalid_uri`, `invalid_query_string`, `invalid_body`) with the first problem described the way Auth0 words it.
 *
 * The operation table is read eagerly, but each operation's Ajv code is generated when it is first needed (or when
 * `prepareValidators` asks for it): generating it for every operation is most of the emulator's start-up, and a
 * listening server can answer before it is done. Whoever starts an emulator prepares every operation before
 * announcing it (emulator.ts), so a broken schema still stops the start.
 */
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import { createSpecAjv, type JsonSchema, listOperations, type Operation, requestBodySchema } from "../shared/spec.js";
import { type AdditionalScopeCheck, additionalScopeCheck } from "./additional-scopes.js";
import { ApiError, badRequest, invalidQuery } from "./errors.js";

export interface CompiledOperation {
  operation: Operation;
  /** The request is allowed when the token holds any one of these. */
  scopes: string[];
  checkPath(params: Record<string, string>): void;
  /** Returns the query with strings coerced and defaults filled in. */
  checkQuery(query: Record<string, string | string[]>): Record<string, unknown>;
  /** `checkQuery` of an empty query string, worked out once (most requests send none); frozen, like its result is shared. */
  checkEmptyQuery(): Readonly<Record<string, unknown>>;
  /** Undefined when the operation takes no body. */
  checkBody?: (body: unknown) => void;
  /** Scopes the body's fields need beyond `scopes` (the spec's `x-additional-scopes`); undefined when none. */
  checkAdditionalScopes?: AdditionalScopeCheck;
  /** Generates the operation's validators now if no request has yet; throws when the spec's schemas are broken. */
  prepareValidators(): void;
}

interface RequestAjv {
  /** Bodies, paths and seeds: stops at the first problem like Auth0. */
  body: Ajv2020;
  /** Query strings: the same, coercing strings to the declared types and filling in defaults. */
  query: Ajv2020;
}

let requestAjvs: RequestAjv | undefined;

/** The emulator's Ajv instances, made on first use. */
function requestAjv(): RequestAjv {
  requestAjvs ??= {
    body: createSpecAjv({ allErrors: false, verbose: true, validateSchema: false }),
    // `coerceTypes: "array"` also turns a query parameter sent once into the one-item array a repeatable parameter
    // (`strategy`, `grant_ids`) declares.
    query: createSpecAjv({ allErrors: false, verbose: true, coerceTypes: "array", useDefaults: true, validateSchema: false }),
  };
  return requestAjvs;
}

/**
 * Checks a schema against the JSON Schema meta-schema before each attempt to compile it: throws "schema is invalid: …".
 * Done here rather than by Ajv (`validateSchema: false` above) for two reasons: Ajv checks a schema only the first
 * time it is compiled, so a broken schema that a request met first would pass when the start prepares it; and each
 * instance would compile the meta-schema (tens of milliseconds) where `body`'s one serves both.
 */
function checkSchema(schema: JsonSchema): void {
  // Throws on an invalid schema (the second argument); the schemas are synchronous, so nothing is left pending.
  void requestAjv().body.validateSchema(schema, true);
}

/**
 * Making the Ajv instances (loading Ajv) and compiling the meta-schema, as two steps of an emulator's preparation
 * (emulator.ts): each takes tens of milliseconds, and a listening server answers requests between steps.
 */
export const AJV_PREPARATION: ReadonlyArray<() => void> = [() => void requestAjv(), () => checkSchema({})];

/** Compiles a request body (or seed entry, or path parameters) schema. */
export function compileBody(schema: JsonSchema): ValidateFunction {
  checkSchema(schema);
  return requestAjv().body.compile(schema);
}

/** `ajv.errorsText` of the instance `compileBody` uses. */
export function errorsText(errors: ValidateFunction["errors"], dataVar: string): string {
  return requestAjv().body.errorsText(errors, { dataVar });
}

function compileQuery(schema: JsonSchema): ValidateFunction {
  checkSchema(schema);
  return requestAjv().query.compile(schema);
}

let compiled: CompiledOperation[] | undefined;

/** Every operation of the spec with its checks (validators generated on first use), shared by all emulators. */
export function compiledOperations(): CompiledOperation[] {
  compiled ??= listOperations().map(compileOperation);
  return compiled;
}

function compileOperation(operation: Operation): CompiledOperation {
  const pathParams = operation.parameters.filter((p) => p.in === "path");
  const queryParams = operation.parameters.filter((p) => p.in === "query");
  const describe = (params: typeof pathParams) => new Map(params.map((p) => [p.name, p.description]));

  const pathDescriptions = describe(pathParams);
  const queryDescriptions = describe(queryParams);
  // Ajv's coercion reads integers as JavaScript does (`0x10`, ` 5 `, `1e309`, `Infinity`): these are checked first.
  const integerParams = queryParams.filter((p) => p.schema?.type === "integer").map((p) => p.name);
  const bodySchema = requestBodySchema(operation);
  let validators: { path: ValidateFunction; query: ValidateFunction; body?: ValidateFunction } | undefined;
  const prepare = () =>
    (validators ??= {
      path: compileBody(objectOf(pathParams)),
      query: compileQuery({ ...objectOf(queryParams), additionalProperties: false }),
      body: bodySchema ? compileBody(bodySchema) : undefined,
    });

  let emptyQuery: Readonly<Record<string, unknown>> | undefined;
  const compiledOperation: CompiledOperation = {
    operation,
    scopes: operation.scopes,
    checkPath(params) {
      const pathValidate = prepare().path;
      if (!pathValidate(params)) throw validationError("Path", "invalid_uri", pathValidate, pathDescriptions);
    },
    checkQuery(query) {
      for (const name of integerParams) {
        const raw = query[name];
        if (raw !== undefined && !(Array.isArray(raw) ? raw : [raw]).every(isPlainInteger)) {
          const description = firstSentence(queryDescriptions.get(name));
          throw invalidQuery(
            `Query validation error: 'Expected type integer but found type string' on property ${name}${description ? ` (${description})` : ""}.`,
          );
        }
      }
      const value = ordinaryCopy(query);
      const queryValidate = prepare().query;
      if (!queryValidate(value)) throw validationError("Query", "invalid_query_string", queryValidate, queryDescriptions);
      return value;
    },
    checkEmptyQuery() {
      // A required query parameter would make this throw every time, so only a result is kept.
      emptyQuery ??= Object.freeze(compiledOperation.checkQuery(Object.create(null) as Record<string, string>));
      return emptyQuery;
    },
    checkBody: bodySchema
      ? (body) => {
          const bodyValidate = prepare().body as ValidateFunction;
          if (!bodyValidate(body)) throw validationError("Payload", "invalid_body", bodyValidate);
        }
      : undefined,
    checkAdditionalScopes: additionalScopeCheck(operation),
    prepareValidators: () => void prepare(),
  };
  return compiledOperation;
}

/**
 * `{ ...query }`: the parsed query (an object without a prototype) as the ordinary object Ajv fills defaults into.
 * Copied key by key, which V8 does several times faster than spreading an object without a prototype; a parameter
 * named `__proto__` would set the copy's prototype that way, so such a query is spread (it stays an own key, refused
 * as unknown).
 */
function ordinaryCopy(query: Record<string, string | string[]>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const name in query) {
    if (name === "__proto__") return { ...query };
    copy[name] = query[name];
  }
  return copy;
}

/** A plain decimal integer that a JavaScript number holds exactly (the spec's minimum and maximum are checked after). */
function isPlainInteger(text: string): boolean {
  return /^-?\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text));
}

function objectOf(params: Operation["parameters"]): JsonSchema {
  return {
    type: "object",
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema ?? {}])),
    required: params.filter((p) => p.required).map((p) => p.name),
  };
}

function validationError(
  kind: "Path" | "Query" | "Payload",
  errorCode: string,
  validate: ValidateFunction,
  descriptions?: Map<string, string | undefined>,
): ApiError {
  const error = validate.errors?.[0];
  if (!error) return badRequest(`${kind} validation error.`, errorCode);
  const property = error.instancePath.slice(1).replaceAll("/", ".");
  const topLevel = property.split(".")[0] ?? "";
  const description = firstSentence(descriptions ? descriptions.get(topLevel) : error.parentSchema?.description);
  const where = property ? ` on property ${property}${description ? ` (${description})` : ""}` : "";
  return badRequest(`${kind} validation error: '${describeProblem(error)}'${where}.`, errorCode);
}

function firstSentence(text: unknown): string | undefined {
  if (typeof text !== "string" || text.trim() === "") return undefined;
  const line = text.trim().split(/\n|(?<=\.)\s/)[0] ?? "";
  return line.replace(/\.$/, "");
}

/** JSON Schema's name for a value's type, as Auth0's messages use it. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Auth0's wording for one schema violation. */
function describeProblem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const data = error.data;
  switch (error.keyword) {
    case "additionalProperties":
      return `Additional properties not allowed: ${String(params.additionalProperty)}`;
    case "required":
      return `Missing required property: ${String(params.missingProperty)}`;
    case "type": {
      const expected = Array.isArray(params.type) ? params.type.join(",") : String(params.type);
      return `Expected type ${expected} but found type ${typeName(data)}`;
    }
    case "maxLength":
      return `String is too long (${String(data).length} chars), maximum ${String(params.limit)}`;
    case "minLength":
      return `String is too short (${String(data).length} chars), minimum ${String(params.limit)}`;
    case "maximum":
      return `Value is greater than the maximum of ${String(params.limit)}`;
    case "minimum":
      return `Value is less than the minimum of ${String(params.limit)}`;
    case "enum":
      return `No enum match for: ${JSON.stringify(data)}`;
    case "pattern":
      return `String does not match pattern ${String(params.pattern)}: ${String(data)}`;
    case "format":
      return `Object didn't pass validation for format ${String(params.format)}: ${String(data)}`;
    case "minProperties":
      return `Too few properties defined (${Object.keys(data as object).length}), minimum ${String(params.limit)}`;
    case "maxProperties":
      return `Too many properties defined (${Object.keys(data as object).length}), maximum ${String(params.limit)}`;
    case "minItems":
      return `Array is too short (${(data as unknown[]).length}), minimum ${String(params.limit)}`;
    case "oneOf":
      return "Data does not match any schemas from 'oneOf'";
    default:
      return error.message ?? error.keyword;
  }
}
