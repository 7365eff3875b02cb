/**
 * `fields` and `include_fields` on the connection reads promise only what live tenants were recorded doing.
 * With `include_fields=true` (the default) the service adds some fields to the listed ones: the `fields`
 * parameter names them (`x-returned-with-include-fields`), and each must have been recorded added. With
 * `include_fields=false` it leaves out every listed field, `id` included (recorded: `fields=name,id` came back
 * with neither), so no field of a narrowed answer may be required.
 */
import { describe, expect, it } from "vitest";
import { createSpecAjv, findOperation, responseBodySchema } from "../../src/shared/spec.js";
import { ADJACENT_RECORDINGS_DIR, HARVESTED_RECORDINGS_DIR, loadRecordings, type RecordedInteraction } from "../helpers/recordings.js";

const ajv = createSpecAjv();
const recordings = [...loadRecordings(), ...loadRecordings(undefined, ADJACENT_RECORDINGS_DIR), ...loadRecordings(undefined, HARVESTED_RECORDINGS_DIR)];
const listed = (r: RecordedInteraction) =>
  String(r.query.fields ?? "")
    .split(",")
    .filter(Boolean);
const excluding = (r: RecordedInteraction) => r.query.include_fields === "false";
const getConnection = findOperation("get", "/connections/{id}")!;

/** The extension on an operation's `fields` parameter naming the fields the service adds to a narrowed answer. */
function addedFields(method: string, template: string): string[] {
  const parameter = findOperation(method, template)!.parameters.find((p) => p.in === "query" && p.name === "fields") as unknown as Record<string, unknown>;
  expect(parameter, `${method} ${template} has a fields parameter`).toBeDefined();
  expect(parameter).not.toHaveProperty("x-always-returned");
  return (parameter["x-returned-with-include-fields"] as string[] | undefined) ?? [];
}

/** The items of an answer: the body itself, or a list's items (bare array or under its list key). */
function items(body: unknown, key: string): Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  const value = (body as Record<string, unknown>)[key];
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [body as Record<string, unknown>];
}

describe("fields and include_fields, as recorded", () => {
  it.each([
    ["get", "/connections/{id}", "connections"],
    ["get", "/connections", "connections"],
    ["get", "/clients", "clients"],
  ])("%s %s: every field the spec says the service adds with include_fields=true was recorded added", (method, template, key) => {
    const narrowed = recordings.filter(
      (r) => r.method.toLowerCase() === method && r.pathTemplate === template && r.status === 200 && listed(r).length > 0 && !excluding(r),
    );
    const added = addedFields(method, template);
    expect(added.length).toBeGreaterThan(0);
    for (const field of added) {
      const seen = narrowed.some((r) => !listed(r).includes(field) && items(r.responseBody, key).some((item) => field in item));
      expect(seen, `${field} was never recorded in a narrowed answer that did not list it`).toBe(true);
    }
  });

  it("with include_fields=false, a recorded answer leaves out every listed field, id included", () => {
    const excluded = recordings.filter((r) => r.method === "GET" && r.status === 200 && listed(r).length > 0 && excluding(r));
    expect(excluded.some((r) => r.pathTemplate === "/connections/{id}" && listed(r).includes("id"))).toBe(true);
    for (const r of excluded) {
      for (const item of items(r.responseBody, r.pathTemplate === "/clients" ? "clients" : "connections")) {
        expect(
          Object.keys(item).filter((key) => listed(r).includes(key)),
          r.source,
        ).toEqual([]);
      }
    }
  });

  it("GET /connections/{id}: an answer without any one field (as include_fields=false listing it gives) still validates", () => {
    const validate = ajv.compile(responseBodySchema(getConnection, 200)!);
    const whole = recordings.filter((r) => r.method === "GET" && r.pathTemplate === "/connections/{id}" && r.status === 200 && listed(r).length === 0);
    expect(whole.length).toBeGreaterThan(0);
    for (const r of whole) {
      for (const field of Object.keys(r.responseBody as object)) {
        const { [field]: _left, ...rest } = r.responseBody as Record<string, unknown>;
        expect(validate(rest), `${r.source} without ${field}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    }
  });
});
