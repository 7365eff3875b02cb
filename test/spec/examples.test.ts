/**
 * The examples are what Prism serves, what the docs show and what Dredd sends, so each response carries at least
 * one named example, every example validates against its schema, and together they tell one story: the same
 * organization and the same connections throughout.
 */
import { describe, expect, it } from "vitest";
import { createSpecAjv, listOperations } from "../../src/shared/spec.js";

const ajv = createSpecAjv();
const operations = listOperations();

const responses = operations.flatMap((op) =>
  Object.entries(op.operation.responses).map(([status, response]) => ({ label: `${op.operationId} ${status}`, status, response })),
);

const ORGANIZATION_ID = "org_W2nJ4xPq7sKd9VbT";
const CONNECTION_IDS = ["con_Xk3pL9qRt2VwY7Za", "con_Ok7aE2nTz5Hq1MvB"];

describe("response examples", () => {
  it.each(responses.filter((r) => r.response.content).map((r) => [r.label, r] as const))(
    "%s has a named example valid against its schema",
    (_label, { response }) => {
      const media = response.content!["application/json"];
      expect(media?.schema).toBeDefined();
      const examples = Object.entries(media?.examples ?? {});
      expect(examples.length).toBeGreaterThan(0);
      const validate = ajv.compile(media!.schema!);
      for (const [name, example] of examples) {
        expect(validate(example.value), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    },
  );

  it.each(operations.filter((op) => op.operation.requestBody).map((op) => [op.operationId, op] as const))(
    "%s has a named request example valid against its schema",
    (_label, op) => {
      const media = op.operation.requestBody!.content["application/json"]!;
      const validate = ajv.compile(media.schema!);
      const examples = Object.entries(media.examples ?? {});
      expect(examples.length).toBeGreaterThan(0);
      for (const [name, example] of examples) expect(validate(example.value), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    },
  );

  it("use one organization and the same two connections everywhere", () => {
    const text = JSON.stringify(operations.map((op) => op.operation));
    expect(new Set(text.match(/org_[A-Za-z0-9]{16}/g))).toEqual(new Set([ORGANIZATION_ID]));
    expect(new Set(text.match(/con_[A-Za-z0-9]{16}/g))).toEqual(new Set(CONNECTION_IDS));
  });

  it("name each operation's own scopes (any one of them is enough) in its 403 example", () => {
    for (const op of operations) {
      const examples = Object.values(op.operation.responses["403"]?.content?.["application/json"]?.examples ?? {});
      expect(
        examples.map((e) => (e.value as { message: string }).message),
        op.operationId,
      ).toEqual([`Insufficient scope, expected any of: ${op.scopes.join(",")}`]);
    }
  });

  it("give every path parameter an example (Dredd cannot build a request without one)", () => {
    for (const op of operations) {
      for (const p of op.parameters.filter((p) => p.in === "path")) {
        expect(p.example, `${op.operationId} ${p.name}`).toBeDefined();
        expect(op.pathTemplate).toContain(`{${p.name}}`);
      }
    }
  });

  it("declare the rate-limit headers on every response: required on a success and a 429, described on other errors", () => {
    for (const op of operations) {
      for (const [status, response] of Object.entries(op.operation.responses)) {
        const headers = response.headers ?? {};
        const expected =
          status === "429"
            ? ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after"]
            : ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"];
        expect(Object.keys(headers), `${op.operationId} ${status}`).toEqual(expected);
        const promised = status.startsWith("2") || status === "429";
        for (const name of expected.slice(0, 3)) expect(Boolean(headers[name]?.required), `${op.operationId} ${status} ${name}`).toBe(promised);
        // Auth0 does not document Retry-After: described on a 429, never promised.
        if (status === "429") expect(headers["retry-after"]?.required).toBeFalsy();
      }
    }
  });

  it("give every operation a camelCase verb-first operationId, one tag, a summary, a description and its scopes as alternatives", () => {
    for (const op of operations) {
      expect(op.operationId).toMatch(/^(list|get|add|create|update|delete)[A-Z][A-Za-z]+$/);
      expect(op.operation.tags).toHaveLength(1);
      expect(op.operation.summary).toMatch(/^[A-Z][^A-Z]*$/); // sentence case
      expect(op.operation.description?.length).toBeGreaterThan(10);
      // Each security requirement names one scope, so several requirements mean "any one of these" (OpenAPI's OR).
      expect(op.scopes.length).toBeGreaterThanOrEqual(1);
      for (const requirement of op.operation.security ?? []) expect(Object.values(requirement).flat()).toHaveLength(1);
    }
  });
});
