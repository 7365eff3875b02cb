/**
 * Every field, constraint, default and status code of the five documentation pages the project was created from
 * (seeds 000–004), one row each, checked against the bundled spec. A row fails when the spec loses or changes the
 * fact it names.
 *
 * Left out on purpose: seed 004 shows `default: My connection`, `default: con_0000000000000001` and
 * `default: auth0` on the response's `name`, `id` and `strategy`; they are the documentation generator's sample
 * values, not defaults the service applies, so the spec carries them as examples only. Seeds 002/003 print the
 * name pattern as `^[^]*$`: the NUL character was lost in the page; the real pattern is `^[^\u0000]*$`.
 */
import { describe, expect, it } from "vitest";
import { findOperation, type JsonSchema, type Operation, requestBodySchema, responseBodySchema } from "../../src/shared/spec.js";

type Where =
  | { kind: "path" | "query"; name: string }
  | { kind: "body"; name: string }
  | { kind: "response"; status: number; name: string }
  | { kind: "status"; status: number }
  | { kind: "scope"; scope: string }
  | { kind: "header"; status: number; name: string }
  | { kind: "example-message"; status: number; message: string };

interface Fact {
  seed: string;
  op: string; // "METHOD /path/{template}"
  where: Where;
  /** Properties the schema (or parameter) must have; `isRequired: true` checks that the field is required. */
  expect?: Record<string, unknown>;
}

const nameField = { type: "string", minLength: 1, maxLength: 50, pattern: "^[^\\u0000]*$" };
const accessLevels = ["none", "readonly", "limited", "full"];

const ADD = "POST /organizations/{id}/enabled_connections";
const LIST = "GET /organizations/{id}/connections";
const UPDATE_ORG_CONN = "PATCH /organizations/{id}/connections/{connection_id}";
const UPDATE_CONN = "PATCH /connections/{id}";

const organizationConnectionResponse = (seed: string, op: string, status: number): Fact[] => [
  { seed, op, where: { kind: "response", status, name: "connection_id" }, expect: { type: "string", minLength: 1, maxLength: 50, isRequired: true } },
  { seed, op, where: { kind: "response", status, name: "organization_connection_name" }, expect: nameField },
  { seed, op, where: { kind: "response", status, name: "assign_membership_on_login" }, expect: { type: "boolean" } },
  { seed, op, where: { kind: "response", status, name: "show_as_button" }, expect: { type: "boolean", default: true } },
  { seed, op, where: { kind: "response", status, name: "is_signup_enabled" }, expect: { type: "boolean", default: false } },
  { seed, op, where: { kind: "response", status, name: "organization_access_level" }, expect: { type: "string", enum: accessLevels } },
  { seed, op, where: { kind: "response", status, name: "is_enabled" }, expect: { type: "boolean" } },
  { seed, op, where: { kind: "response", status, name: "connection" }, expect: { type: "object" } },
  { seed, op, where: { kind: "response", status, name: "connection.name" }, expect: { type: "string" } },
  { seed, op, where: { kind: "response", status, name: "connection.strategy" }, expect: { type: "string" } },
  { seed, op, where: { kind: "status", status } },
];

const FACTS: Fact[] = [
  // 000 — POST /organizations/{id}/enabled_connections
  { seed: "000", op: ADD, where: { kind: "path", name: "id" }, expect: { isRequired: true, type: "string", maxLength: 50 } },
  { seed: "000", op: ADD, where: { kind: "body", name: "connection_id" }, expect: { type: "string", isRequired: true } },
  { seed: "000", op: ADD, where: { kind: "body", name: "assign_membership_on_login" }, expect: { type: "boolean" } },
  { seed: "000", op: ADD, where: { kind: "body", name: "is_signup_enabled" }, expect: { type: "boolean", default: false } },
  { seed: "000", op: ADD, where: { kind: "body", name: "show_as_button" }, expect: { type: "boolean", default: true } },
  { seed: "000", op: ADD, where: { kind: "response", status: 201, name: "connection_id" }, expect: { type: "string" } },
  { seed: "000", op: ADD, where: { kind: "response", status: 201, name: "assign_membership_on_login" }, expect: { type: "boolean" } },
  { seed: "000", op: ADD, where: { kind: "response", status: 201, name: "show_as_button" }, expect: { type: "boolean", default: true } },
  { seed: "000", op: ADD, where: { kind: "response", status: 201, name: "is_signup_enabled" }, expect: { type: "boolean", default: false } },
  { seed: "000", op: ADD, where: { kind: "response", status: 201, name: "connection.name" }, expect: { type: "string" } },
  { seed: "000", op: ADD, where: { kind: "response", status: 201, name: "connection.strategy" }, expect: { type: "string" } },
  // 001 — the guide: scope, status codes, messages, rate-limit headers
  { seed: "001", op: ADD, where: { kind: "scope", scope: "create:organization_connections" } },
  { seed: "001", op: ADD, where: { kind: "status", status: 201 } },
  { seed: "001", op: ADD, where: { kind: "status", status: 401 } },
  { seed: "001", op: ADD, where: { kind: "status", status: 403 } },
  { seed: "001", op: ADD, where: { kind: "status", status: 429 } },
  { seed: "001", op: ADD, where: { kind: "example-message", status: 401, message: "Invalid token." } },
  { seed: "001", op: ADD, where: { kind: "example-message", status: 401, message: "Invalid signature received for JSON Web Token validation." } },
  { seed: "001", op: ADD, where: { kind: "example-message", status: 401, message: "Client is not global." } },
  { seed: "001", op: ADD, where: { kind: "response", status: 403, name: "errorCode" }, expect: { type: "string" } },
  { seed: "001", op: ADD, where: { kind: "example-message", status: 403, message: "insufficient_scope" } },
  { seed: "001", op: ADD, where: { kind: "header", status: 429, name: "x-ratelimit-limit" }, expect: { type: "integer" } },
  { seed: "001", op: ADD, where: { kind: "header", status: 429, name: "x-ratelimit-remaining" }, expect: { type: "integer" } },
  { seed: "001", op: ADD, where: { kind: "header", status: 429, name: "x-ratelimit-reset" }, expect: { type: "integer" } },
  // 002 — GET /organizations/{id}/connections
  { seed: "002", op: LIST, where: { kind: "path", name: "id" }, expect: { isRequired: true, type: "string", maxLength: 50 } },
  { seed: "002", op: LIST, where: { kind: "query", name: "page" }, expect: { type: "integer", minimum: 0 } },
  { seed: "002", op: LIST, where: { kind: "query", name: "per_page" }, expect: { type: "integer", minimum: 1, maximum: 100, default: 50 } },
  { seed: "002", op: LIST, where: { kind: "query", name: "include_totals" }, expect: { type: "boolean", default: false } },
  { seed: "002", op: LIST, where: { kind: "query", name: "is_enabled" }, expect: { type: "boolean" } },
  { seed: "002", op: LIST, where: { kind: "scope", scope: "read:organization_connections" } },
  ...organizationConnectionResponse("002", LIST, 200),
  // 003 — PATCH /organizations/{id}/connections/{connection_id}
  { seed: "003", op: UPDATE_ORG_CONN, where: { kind: "path", name: "id" }, expect: { isRequired: true, type: "string", maxLength: 50 } },
  {
    seed: "003",
    op: UPDATE_ORG_CONN,
    where: { kind: "path", name: "connection_id" },
    expect: { isRequired: true, type: "string", minLength: 1, maxLength: 50 },
  },
  { seed: "003", op: UPDATE_ORG_CONN, where: { kind: "body", name: "organization_connection_name" }, expect: { ...nameField, type: ["string", "null"] } },
  { seed: "003", op: UPDATE_ORG_CONN, where: { kind: "body", name: "assign_membership_on_login" }, expect: { type: "boolean" } },
  { seed: "003", op: UPDATE_ORG_CONN, where: { kind: "body", name: "show_as_button" }, expect: { type: "boolean" } },
  { seed: "003", op: UPDATE_ORG_CONN, where: { kind: "body", name: "is_signup_enabled" }, expect: { type: "boolean" } },
  {
    seed: "003",
    op: UPDATE_ORG_CONN,
    where: { kind: "body", name: "organization_access_level" },
    expect: { oneOf: [{ type: "string", enum: accessLevels }, { type: "null" }] },
  },
  { seed: "003", op: UPDATE_ORG_CONN, where: { kind: "body", name: "is_enabled" }, expect: { type: ["boolean", "null"] } },
  { seed: "003", op: UPDATE_ORG_CONN, where: { kind: "scope", scope: "update:organization_connections" } },
  ...organizationConnectionResponse("003", UPDATE_ORG_CONN, 200),
  // 004 — PATCH /connections/{id}
  { seed: "004", op: UPDATE_CONN, where: { kind: "path", name: "id" }, expect: { isRequired: true, type: "string" } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "body", name: "display_name" }, expect: { type: "string", maxLength: 128 } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "body", name: "options" }, expect: { type: ["object", "null"] } },
  {
    seed: "004",
    op: UPDATE_CONN,
    where: { kind: "body", name: "enabled_clients" },
    expect: { type: ["array", "null"], deprecated: true, items: { type: "string" } },
  },
  { seed: "004", op: UPDATE_CONN, where: { kind: "body", name: "is_domain_connection" }, expect: { type: "boolean", default: false } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "body", name: "show_as_button" }, expect: { type: "boolean", default: false } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "body", name: "realms" }, expect: { type: "array", items: { type: "string" } } },
  {
    seed: "004",
    op: UPDATE_CONN,
    where: { kind: "body", name: "metadata" },
    expect: { type: "object", maxProperties: 10, additionalProperties: { maxLength: 255 } },
  },
  { seed: "004", op: UPDATE_CONN, where: { kind: "body", name: "authentication" }, expect: { type: "object", required: ["active"] } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "body", name: "authentication.active" }, expect: { type: "boolean" } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "body", name: "connected_accounts" }, expect: { type: "object", required: ["active"] } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "body", name: "connected_accounts.active" }, expect: { type: "boolean" } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "body", name: "connected_accounts.cross_app_access" }, expect: { type: "boolean" } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "scope", scope: "update:connections" } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "status", status: 200 } },
  ...["name", "display_name", "id", "strategy"].map((name): Fact => ({
    seed: "004",
    op: UPDATE_CONN,
    where: { kind: "response", status: 200, name },
    expect: { type: "string" },
  })),
  { seed: "004", op: UPDATE_CONN, where: { kind: "response", status: 200, name: "options" }, expect: { type: "object" } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "response", status: 200, name: "realms" }, expect: { type: "array", items: { type: "string" } } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "response", status: 200, name: "enabled_clients" }, expect: { type: "array", deprecated: true } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "response", status: 200, name: "is_domain_connection" }, expect: { type: "boolean" } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "response", status: 200, name: "show_as_button" }, expect: { type: "boolean" } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "response", status: 200, name: "metadata" }, expect: { type: "object", maxProperties: 10 } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "response", status: 200, name: "authentication" }, expect: { type: "object" } },
  { seed: "004", op: UPDATE_CONN, where: { kind: "response", status: 200, name: "connected_accounts.cross_app_access" }, expect: { type: "boolean" } },
];

function operation(spec: string): Operation {
  const [method, path] = spec.split(" ");
  const op = findOperation(method!, path!);
  if (!op) throw new Error(`${spec} is not in the spec`);
  return op;
}

/** Walks `a.b` through object properties; arrays and list `oneOf`s are looked through to their items. */
function property(schema: JsonSchema | undefined, dotted: string): { schema: JsonSchema; required: boolean } | undefined {
  let current = schema;
  let required = false;
  for (const key of dotted.split(".")) {
    current = itemSchema(current);
    const props = current?.properties as Record<string, JsonSchema> | undefined;
    required = ((current?.required as string[] | undefined) ?? []).includes(key);
    current = props?.[key];
    if (!current) return undefined;
  }
  return current && { schema: current, required };
}

function itemSchema(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  if (schema.allOf) return withAllOfMerged(schema);
  if (schema.type === "array") return itemSchema(schema.items as JsonSchema);
  const arrayBranch = (schema.oneOf as JsonSchema[] | undefined)?.find((branch) => branch.type === "array");
  return arrayBranch ? itemSchema(arrayBranch) : schema;
}

/** `allOf: [base]` plus `required` beside it (how `Connection` narrows `ConnectionFields`), as one object schema. */
function withAllOfMerged(schema: JsonSchema): JsonSchema {
  const parts = [...(schema.allOf as JsonSchema[]).map((part) => itemSchema(part) ?? {}), schema];
  return {
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
    required: parts.flatMap((part) => (part.required as string[] | undefined) ?? []),
  };
}

function check(found: { schema: JsonSchema; required: boolean } | undefined, expected: Record<string, unknown> = {}) {
  expect(found, "not found in the spec").toBeDefined();
  const { isRequired, ...schemaFacts } = expected;
  expect(found!.schema).toMatchObject(schemaFacts);
  if (isRequired !== undefined) expect(found!.required).toBe(isRequired);
}

function label(f: Fact): string {
  const w = f.where;
  const detail = "name" in w ? w.name : "scope" in w ? w.scope : "message" in w ? w.message : "";
  return `seed ${f.seed}: ${f.op} ${w.kind}${"status" in w ? ` ${w.status}` : ""} ${detail}`.trim();
}

describe("facts from the seed documentation pages", () => {
  it.each(FACTS.map((f) => [label(f), f] as const))("%s", (_label, fact) => {
    const op = operation(fact.op);
    const w = fact.where;
    switch (w.kind) {
      case "path":
      case "query": {
        const param = op.parameters.find((p) => p.in === w.kind && p.name === w.name);
        check(param && { schema: param.schema ?? {}, required: param.required === true }, fact.expect);
        expect(param?.example, "a parameter needs an example (Dredd cannot build a request without one)").toBeDefined();
        break;
      }
      case "body":
        check(property(requestBodySchema(op), w.name), fact.expect);
        break;
      case "response":
        check(property(responseBodySchema(op, w.status), w.name), fact.expect);
        break;
      case "status":
        expect(Object.keys(op.operation.responses)).toContain(String(w.status));
        break;
      case "scope":
        expect(op.scopes).toEqual([w.scope]);
        break;
      case "header": {
        const header = op.operation.responses[String(w.status)]?.headers?.[w.name];
        check(header && { schema: header.schema ?? {}, required: header.required === true }, { isRequired: true, ...fact.expect });
        break;
      }
      case "example-message": {
        const examples = Object.values(op.operation.responses[String(w.status)]?.content?.["application/json"]?.examples ?? {});
        expect(JSON.stringify(examples.map((e) => e.value))).toContain(JSON.stringify(w.message).slice(1, -1));
        break;
      }
    }
  });
});
