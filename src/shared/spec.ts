/**
 * Loads the bundled spec written by `npm run generate` and answers the questions the client, the emulator
 * and the contract checks ask of it: which operations exist, which scope each needs, and what a request or
 * response must look like. Everything here is read from generated/, never restated by hand.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Ajv2020, Options as Ajv2020Options } from "ajv/dist/2020.js";
import type addFormatsModule from "ajv-formats";

/**
 * Ajv and ajv-formats, loaded the first time a validator is made rather than when this module is imported: they are
 * ~90 CommonJS modules (tens of milliseconds), and a command such as `auth0-emulator` can answer its first requests
 * before it needs them. Both ship CommonJS, so `require` loads them synchronously.
 */
const requireFromHere = createRequire(import.meta.url);
const loadAjv = () => ({
  Ajv2020: (requireFromHere("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js")).Ajv2020,
  addFormats: (requireFromHere("ajv-formats") as typeof addFormatsModule).default,
});

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
export const HTTP_METHODS: readonly HttpMethod[] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** JSON Schema as it appears in the dereferenced spec. */
export type JsonSchema = Record<string, unknown>;

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
  example?: unknown;
}

export interface MediaTypeObject {
  schema?: JsonSchema;
  example?: unknown;
  examples?: Record<string, { summary?: string; value?: unknown }>;
}

export interface HeaderObject {
  description?: string;
  required?: boolean;
  schema?: JsonSchema;
  example?: unknown;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
  security?: Array<Record<string, string[]>>;
}

export interface PathItemObject {
  parameters?: ParameterObject[];
  [method: string]: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  servers?: Array<{ url: string; variables?: Record<string, { default: string }> }>;
  paths: Record<string, PathItemObject>;
  components?: Record<string, Record<string, unknown>>;
  tags?: Array<{ name: string; description?: string }>;
}

/** One operation of the spec with its path-level parameters merged in. */
export interface Operation {
  method: HttpMethod;
  /** The path as the spec writes it, e.g. `/organizations/{id}/connections`. */
  pathTemplate: string;
  operationId: string;
  /** The scopes the operation's security requirement lists (any one of them is enough in Auth0). */
  scopes: string[];
  parameters: ParameterObject[];
  operation: OperationObject;
}

const generatedFile = (name: string) => new URL(`../../generated/${name}`, import.meta.url);

/** The bundled spec's file (for tools that take a path, such as Dredd and Prism). */
export const BUNDLED_SPEC_FILE = fileURLToPath(generatedFile("openapi.json"));

const cache = new Map<string, OpenApiDocument>();

function readSpec(name: string): OpenApiDocument {
  let doc = cache.get(name);
  if (!doc) {
    doc = JSON.parse(readFileSync(generatedFile(name), "utf8")) as OpenApiDocument;
    cache.set(name, doc);
  }
  return doc;
}

/** The bundled spec (`generated/openapi.json`), with `$ref`s to its components. */
export function loadBundledSpec(): OpenApiDocument {
  return readSpec("openapi.json");
}

/** The fully dereferenced spec (`generated/openapi.dereferenced.json`): every `$ref` replaced by its target. */
export function loadDereferencedSpec(): OpenApiDocument {
  return readSpec("openapi.dereferenced.json");
}

/** Every operation of a (dereferenced) spec, in document order. */
export function listOperations(spec: OpenApiDocument = loadDereferencedSpec()): Operation[] {
  const operations: Operation[] = [];
  for (const [pathTemplate, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as OperationObject | undefined;
      if (!operation) continue;
      const byKey = new Map<string, ParameterObject>();
      for (const p of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) byKey.set(`${p.in}:${p.name}`, p);
      operations.push({
        method,
        pathTemplate,
        operationId: operation.operationId,
        scopes: (operation.security ?? []).flatMap((requirement) => Object.values(requirement).flat()),
        parameters: [...byKey.values()],
        operation,
      });
    }
  }
  return operations;
}

/** Finds an operation by method and path template (`/organizations/{id}`), or undefined. */
export function findOperation(method: string, pathTemplate: string, operations = listOperations()): Operation | undefined {
  const m = method.toLowerCase();
  return operations.find((op) => op.method === m && op.pathTemplate === pathTemplate);
}

/** The response object an operation documents for a status (exact code first, then `4XX`-style, then `default`). */
export function findResponse(op: Operation, status: number): ResponseObject | undefined {
  const responses = op.operation.responses;
  return responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
}

/** The JSON schema of an operation's response body for a status, or undefined when it documents no JSON body. */
export function responseBodySchema(op: Operation, status: number): JsonSchema | undefined {
  return findResponse(op, status)?.content?.["application/json"]?.schema;
}

/** The JSON schema of an operation's request body, or undefined when it takes none. */
export function requestBodySchema(op: Operation): JsonSchema | undefined {
  return op.operation.requestBody?.content["application/json"]?.schema;
}

/**
 * An Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) instance with the standard formats.
 * Not strict: OpenAPI adds annotation keywords (`example`, `deprecated`...) that plain JSON Schema lacks.
 * `options` tunes the rest (for example `coerceTypes` for query strings, or `allErrors: false` to stop at the
 * first problem, which is what a server reporting one error needs and is faster).
 */
export function createSpecAjv(options: Omit<Ajv2020Options, "strict"> = {}): Ajv2020 {
  const { Ajv2020, addFormats } = loadAjv();
  const ajv = new Ajv2020({ strict: false, allErrors: true, ...options });
  addFormats(ajv);
  return ajv;
}
