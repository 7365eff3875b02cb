/**
 * Requests for any operation of the spec that are wrong in exactly one way, and the status each must get: a
 * 51-character id (400), an unknown body property or a body of the wrong type (400), an unknown query parameter
 * or a paging value out of range (400), no token or a malformed one (401), a token without the scope (403).
 * The operations and their parameters and body schemas are read from the spec.
 */
import fc from "fast-check";
import { type JsonSchema, listOperations, type Operation, requestBodySchema } from "../../../src/shared/spec.js";
import type { ApiAnswer } from "./checked-api.js";
import type { SystemUnderTest } from "./commands.js";
import type { TenantModel } from "./model.js";

export type InvalidKind = "long-id" | "extra-body-field" | "wrong-body-type" | "unknown-query" | "bad-paging" | "no-token" | "bad-token" | "no-scope";

export interface InvalidRequest {
  operationId: string;
  kind: InvalidKind;
  orgPick: number;
  connectionPick: number;
  /** The wrong value (a body of the wrong type, an extra property's value). */
  junk: unknown;
}

const EXPECTED_STATUS: Record<InvalidKind, number> = {
  "long-id": 400,
  "extra-body-field": 400,
  "wrong-body-type": 400,
  "unknown-query": 400,
  "bad-paging": 400,
  "no-token": 401,
  "bad-token": 401,
  "no-scope": 403,
};

const PAGING_LIMITS: Record<string, string> = { page: "-1", per_page: "0", take: "0" };

function kindsFor(op: Operation): InvalidKind[] {
  const kinds: InvalidKind[] = ["unknown-query", "no-token", "bad-token", "no-scope"];
  if (op.parameters.some((p) => p.in === "path")) kinds.push("long-id");
  const body = requestBodySchema(op);
  if (body) kinds.push("wrong-body-type");
  if (body?.type === "object") kinds.push("extra-body-field");
  if (op.parameters.some((p) => p.in === "query" && p.name in PAGING_LIMITS)) kinds.push("bad-paging");
  return kinds;
}

const junk = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));

export function invalidRequestArbitrary(): fc.Arbitrary<InvalidRequest> {
  const operations = listOperations();
  return fc.constantFrom(...operations).chain((op) =>
    fc.record({
      operationId: fc.constant(op.operationId),
      kind: fc.constantFrom(...kindsFor(op)),
      orgPick: fc.nat({ max: 50 }),
      connectionPick: fc.nat({ max: 50 }),
      junk,
    }),
  );
}

/** A body that satisfies the schema's required properties (enough to reach the check under test). */
function minimalBody(schema: JsonSchema, connectionId: string): unknown {
  if (schema.type === "array") return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const body: Record<string, unknown> = {};
  for (const name of (schema.required ?? []) as string[]) {
    const property = properties[name] ?? {};
    if (name === "connection_id") body[name] = connectionId;
    else if (name === "strategy") body[name] = "auth0";
    else if (Array.isArray(property.enum)) body[name] = property.enum[0];
    else if (property.type === "boolean") body[name] = true;
    else body[name] = `fuzz${name.replace(/[^a-z0-9]/gi, "")}`;
  }
  return body;
}

function pathFor(op: Operation, model: TenantModel, invalid: InvalidRequest, longId: boolean): string {
  const orgId = model.pickOrg(invalid.orgPick);
  const connectionId = model.pickConnection(invalid.connectionPick);
  let replaced = false;
  return op.pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (longId && !replaced) {
      replaced = true;
      return "i".repeat(51);
    }
    return name === "id" && op.pathTemplate.startsWith("/organizations") ? orgId : connectionId;
  });
}

export async function sendInvalid(
  invalid: InvalidRequest,
  model: TenantModel,
  system: SystemUnderTest,
): Promise<{ answer: ApiAnswer; expectedStatus: number; description: string }> {
  const op = listOperations().find((o) => o.operationId === invalid.operationId);
  if (!op) throw new Error(`no operation ${invalid.operationId}`);
  const bodySchema = requestBodySchema(op);
  const connectionId = model.pickConnection(invalid.connectionPick);
  let body = bodySchema ? minimalBody(bodySchema, connectionId) : undefined;
  const query: Record<string, string> = {};
  let token: string | null | undefined;

  switch (invalid.kind) {
    case "extra-body-field":
      body = { ...(body as object), fuzz_unexpected: invalid.junk };
      break;
    case "wrong-body-type":
      // Whatever the schema's top-level type is, a value of another type.
      body = bodySchema?.type === "array" ? { not: "an array" } : Array.isArray(invalid.junk) || typeof invalid.junk !== "object" ? invalid.junk : 42;
      break;
    case "unknown-query":
      query.fuzz_unknown = String(invalid.junk);
      break;
    case "bad-paging": {
      const param = op.parameters.find((p) => p.in === "query" && p.name in PAGING_LIMITS)!;
      query[param.name] = PAGING_LIMITS[param.name]!;
      break;
    }
    case "no-token":
      token = null;
      break;
    case "bad-token":
      token = "not.a.token";
      break;
    case "no-scope":
      token = system.narrowToken;
      break;
    case "long-id":
      break;
  }
  const path = pathFor(op, model, invalid, invalid.kind === "long-id");
  const method = op.method.toUpperCase();
  const answer = await system.api.call(method, path, { body, query, token });
  return { answer, expectedStatus: EXPECTED_STATUS[invalid.kind], description: `${method} ${op.pathTemplate} with ${invalid.kind}` };
}
