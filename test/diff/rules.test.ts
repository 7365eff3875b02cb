/**
 * Each breaking-change rule with a pair of small crafted specs: one change it must flag as breaking for
 * clients, and its mirror image that it must report as a harmless change. The specs go through the same
 * dereferencing as `npm run diff`, with the schemas behind `$ref`s.
 */
import { describe, expect, it } from "vitest";
import { compareSpecs, type Change, type Rule } from "../../src/shared/spec-compare.js";
import { dereferenceSpec } from "../../src/spec-tools/diff/load.js";

// Crafted fixtures are edited freely in each case, so they are loosely typed on purpose.
type Json = Record<string, any>;

function baseSpec(): Json {
  const ok = (schema: string) => ({ description: "ok", content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } } });
  return {
    openapi: "3.1.0",
    info: { title: "crafted", version: "1" },
    paths: {
      "/things/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", maxLength: 50 } }],
        get: {
          operationId: "getThing",
          parameters: [{ name: "fields", in: "query", schema: { type: "string" } }],
          responses: { "200": ok("Thing"), "404": { description: "missing" } },
        },
        patch: {
          operationId: "updateThing",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/UpdateThing" } } } },
          responses: { "200": ok("Thing") },
        },
      },
    },
    components: {
      schemas: {
        Level: { type: "string", enum: ["none", "full"] },
        Thing: {
          type: "object",
          required: ["id", "level"],
          properties: { id: { type: "string" }, level: { $ref: "#/components/schemas/Level" }, name: { type: ["string", "null"] } },
        },
        UpdateThing: {
          type: "object",
          additionalProperties: false,
          properties: { name: { type: ["string", "null"], maxLength: 50 }, level: { type: "string", enum: ["none", "full"] } },
        },
      },
    },
  };
}

async function diff(change: (spec: Json) => void): Promise<Change[]> {
  const head = baseSpec();
  change(head);
  const [before, after] = await Promise.all([dereferenceSpec(JSON.stringify(baseSpec()), "base.json"), dereferenceSpec(JSON.stringify(head), "head.json")]);
  return compareSpecs(before, after);
}

const breakingRules = (changes: Change[]) => changes.filter((c) => c.breaking).map((c) => c.rule);
const otherRules = (changes: Change[]) => changes.filter((c) => !c.breaking).map((c) => c.rule);

/** One rule: the change that must be flagged, and the mirror change that must not. */
interface RulePair {
  rule: Rule;
  flagged: (spec: Json) => void;
  harmless: (spec: Json) => void;
  harmlessRule: Rule;
}

const schemas = (spec: Json) => spec.components.schemas as Json;
const thingPath = (spec: Json) => spec.paths["/things/{id}"] as Json;

const pairs: RulePair[] = [
  {
    rule: "operation-removed",
    flagged: (s) => delete thingPath(s).patch,
    harmless: (s) => (s.paths["/things"] = { post: { operationId: "createThing", responses: { "201": { description: "created" } } } }),
    harmlessRule: "operation-added",
  },
  {
    rule: "response-field-removed",
    flagged: (s) => delete schemas(s).Thing.properties.name,
    harmless: (s) => (schemas(s).Thing.properties.color = { type: "string" }),
    harmlessRule: "response-field-added",
  },
  {
    rule: "response-field-optional",
    flagged: (s) => (schemas(s).Thing.required = ["id"]),
    harmless: (s) => (schemas(s).Thing.required = ["id", "level", "name"]),
    harmlessRule: "response-field-added",
  },
  {
    rule: "response-enum-value-removed",
    flagged: (s) => (schemas(s).Level.enum = ["none"]),
    harmless: (s) => (schemas(s).UpdateThing.properties.level.enum = ["none", "full", "readonly"]),
    harmlessRule: "request-type-widened",
  },
  {
    rule: "response-enum-value-added",
    flagged: (s) => (schemas(s).Level.enum = ["none", "full", "readonly"]),
    harmless: (s) => (schemas(s).UpdateThing.properties.level.enum = ["none", "full", "limited"]),
    harmlessRule: "request-type-widened",
  },
  {
    rule: "response-type-widened",
    flagged: (s) => (schemas(s).Thing.properties.id.type = ["string", "null"]),
    harmless: (s) => (schemas(s).Thing.properties.name.type = "string"),
    harmlessRule: "response-type-narrowed",
  },
  {
    rule: "request-field-required",
    flagged: (s) => (schemas(s).UpdateThing.required = ["name"]),
    harmless: (s) => (schemas(s).UpdateThing.properties.color = { type: "string" }),
    harmlessRule: "request-field-added",
  },
  {
    rule: "request-type-narrowed",
    flagged: (s) => (schemas(s).UpdateThing.properties.name.maxLength = 40),
    harmless: (s) => (schemas(s).UpdateThing.properties.name.maxLength = 60),
    harmlessRule: "request-type-widened",
  },
  {
    rule: "request-type-narrowed",
    flagged: (s) => (schemas(s).UpdateThing.properties.name.type = "string"),
    harmless: (s) => (schemas(s).UpdateThing.properties.level.type = ["string", "null"]),
    harmlessRule: "request-type-widened",
  },
  {
    rule: "request-type-narrowed",
    flagged: (s) => (schemas(s).UpdateThing.properties.level.enum = ["full"]),
    harmless: (s) => (schemas(s).UpdateThing.properties.level.enum = ["none", "full", "limited"]),
    harmlessRule: "request-type-widened",
  },
  {
    rule: "request-parameter-required",
    flagged: (s) => thingPath(s).get.parameters.push({ name: "include_totals", in: "query", required: true, schema: { type: "boolean" } }),
    harmless: (s) => thingPath(s).get.parameters.push({ name: "include_totals", in: "query", schema: { type: "boolean" } }),
    harmlessRule: "request-parameter-added",
  },
  {
    rule: "request-parameter-required",
    flagged: (s) => (thingPath(s).get.parameters[0].required = true),
    harmless: (s) => (thingPath(s).parameters[0].schema.maxLength = 64),
    harmlessRule: "request-type-widened",
  },
  {
    rule: "status-code-removed",
    flagged: (s) => delete thingPath(s).get.responses["404"],
    harmless: (s) => (thingPath(s).get.responses["429"] = { description: "slow down" }),
    harmlessRule: "status-code-added",
  },
];

describe("breaking-change rules", () => {
  it("reports nothing for identical specs", async () => {
    expect(await diff(() => {})).toEqual([]);
  });

  describe.each(pairs.map((p, i) => [`${p.rule} #${i + 1}`, p] as const))("%s", (_name, pair) => {
    it("flags the breaking change", async () => {
      const changes = await diff(pair.flagged);
      expect(breakingRules(changes)).toContain(pair.rule);
    });
    it(`reports the mirror change as harmless (${pair.harmlessRule})`, async () => {
      const changes = await diff(pair.harmless);
      expect(breakingRules(changes)).toEqual([]);
      expect(otherRules(changes)).toContain(pair.harmlessRule);
    });
  });

  it("follows a $ref into every operation that uses the schema", async () => {
    const changes = await diff((s) => delete schemas(s).Thing.properties.name);
    expect(changes.filter((c) => c.rule === "response-field-removed").map((c) => c.where)).toEqual([
      "GET /things/{id} response 200 body name",
      "PATCH /things/{id} response 200 body name",
    ]);
  });

  it("treats a renamed path parameter as the same operation", async () => {
    const changes = await diff((s) => {
      const item = thingPath(s);
      item.parameters[0].name = "thing_id";
      s.paths = { "/things/{thing_id}": item };
    });
    expect(breakingRules(changes)).toEqual([]);
  });

  it("does not count minLength 1 on a path parameter as a narrowing (a path segment is never empty)", async () => {
    expect(breakingRules(await diff((s) => (thingPath(s).parameters[0].schema.minLength = 1)))).toEqual([]);
    expect(breakingRules(await diff((s) => (thingPath(s).parameters[0].schema.minLength = 2)))).toEqual(["request-type-narrowed", "request-type-narrowed"]);
  });

  it("lists breaking changes before the others", async () => {
    const changes = await diff((s) => {
      schemas(s).Thing.properties.color = { type: "string" };
      delete thingPath(s).get.responses["404"];
    });
    expect(changes.map((c) => [c.breaking, c.rule])).toEqual([
      [true, "status-code-removed"],
      [false, "response-field-added"],
      [false, "response-field-added"],
    ]);
  });
});

describe("scopes (alternatives: any one of an operation's scopes is enough)", () => {
  const withScopes = (...scopes: string[]) => {
    const spec = baseSpec();
    thingPath(spec).get.security = scopes.map((scope) => ({ oAuth2: [scope] }));
    return JSON.stringify(spec);
  };
  const compare = async (before: string, after: string) => compareSpecs(await dereferenceSpec(before, "base.json"), await dereferenceSpec(after, "head.json"));

  it("flags a scope dropped or replaced, and scopes required where none were", async () => {
    expect(breakingRules(await compare(withScopes("read:things"), withScopes("admin:things")))).toEqual(["scope-changed"]);
    expect(breakingRules(await compare(withScopes("read:things", "read:things_summary"), withScopes("read:things")))).toEqual(["scope-changed"]);
    expect(breakingRules(await compare(withScopes(), withScopes("read:things")))).toEqual(["scope-changed"]);
  });

  it("reports another accepted scope as harmless", async () => {
    const changes = await compare(withScopes("read:things"), withScopes("read:things", "read:things_summary"));
    expect(breakingRules(changes)).toEqual([]);
    expect(otherRules(changes)).toEqual(["scope-alternative-added"]);
  });
});

describe("where a change is, for programs (official-diff matches decisions on it)", () => {
  it("names the operation as the old side writes it and a pointer ending in the keyword that changed, with both values", async () => {
    const changes = await diff((s) => {
      s.components.schemas.UpdateThing.properties.name.maxLength = 40;
      thingPath(s).get.parameters[0].schema.default = "id,name";
    });
    expect(changes.map((c) => [c.operation, c.pointer, c.rule, c.before, c.after])).toEqual([
      ["PATCH /things/{id}", "/request/body/name/maxLength", "request-type-narrowed", 50, 40],
      ["GET /things/{id}", "/parameter/query/fields/default", "request-default-changed", undefined, "id,name"],
    ]);
    expect(changes[0]!.where).toBe("PATCH /things/{id} request body name"); // the readable form npm run diff prints
  });

  it("reports a release stage other than GA (an unmarked operation is GA)", async () => {
    const marked = await diff((s) => {
      thingPath(s).get["x-release-lifecycle"] = "GA";
      thingPath(s).patch["x-release-lifecycle"] = "EA";
    });
    expect(marked.map((c) => [c.operation, c.pointer, c.rule, c.after])).toEqual([
      ["PATCH /things/{id}", "/x-release-lifecycle", "release-lifecycle-changed", "EA"],
    ]);
  });
});
