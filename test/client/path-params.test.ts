/**
 * The client's path serializer encodes exactly as openapi-fetch's default one (it only adds refusals), while
 * working from a parsed, remembered template.
 */
import fc from "fast-check";
import { defaultPathSerializer } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { safePathSerializer } from "../../src/client/path-params.js";

const BASE = "https://acme.auth0.com/api/v2";
const TEMPLATES = [
  `${BASE}/organizations/{id}`,
  `${BASE}/organizations/{id}/connections/{connection_id}`,
  `${BASE}/organizations/{id}/enabled_connections/{connectionId}`,
];
const REFUSED = new Set(["", ".", ".."]);
const value = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom("../../users", "a/b?c#d", "%2F", "{id}", "$&", "ü"), fc.integer());

describe("safePathSerializer", () => {
  it("gives the same URL as openapi-fetch's default serializer for every value it accepts", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEMPLATES), value, value, (template, id, other) => {
        const params = { id, connection_id: other, connectionId: other };
        fc.pre(!REFUSED.has(String(id)) && !REFUSED.has(String(other)));
        expect(safePathSerializer(template, params)).toBe(defaultPathSerializer(template, params));
        // The second call is served from the remembered template and must not differ.
        expect(safePathSerializer(template, params)).toBe(defaultPathSerializer(template, params));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps text around and between placeholders, and paths without any", () => {
    expect(safePathSerializer(`${BASE}/a/{x}-{y}/b`, { x: "1", y: 2 })).toBe(`${BASE}/a/1-2/b`);
    expect(safePathSerializer(`${BASE}/organizations`, {})).toBe(`${BASE}/organizations`);
  });

  it("refuses values that are not strings or numbers", () => {
    expect(() => safePathSerializer(TEMPLATES[0] as string, { id: { nested: true } })).toThrow('Path parameter "id" must be a string or a number.');
    expect(() => safePathSerializer(TEMPLATES[0] as string, { id: ["a"] })).toThrow('Path parameter "id" must be a string or a number.');
  });
});
