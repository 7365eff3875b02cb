/**
 * The comparison behind `official-diff`, on the stored trimmed copy of Auth0's document (test/fixtures/
 * official-document/) and on copies of it mutated the ways Auth0 changes its document: each change must come out
 * as new, named with our operation and the place in it; the unmutated copy gives nothing new and uses every
 * decision of openapi/official-decisions.yaml (none is stale).
 */
import { listOperations } from "../../src/shared/spec.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareWithOfficial, type Difference } from "../../src/contract/official-diff/compare.js";
import { checkDecisionList, decisionFor, inFamily, loadDecisionList, type Decision } from "../../src/contract/official-diff/decisions.js";
import { OfficialDocumentError } from "../../src/contract/official-diff/document.js";
import { loadDereferencedSpec } from "../../src/shared/spec.js";
import { PROJECT_ROOT } from "../helpers/project.js";

// The document is edited freely in each case, so it is loosely typed on purpose.
type Json = Record<string, any>;

const OFFICIAL_FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "official-document", "management-api-oas.json");
const fixtureText = readFileSync(OFFICIAL_FIXTURE, "utf8");
const official = (): Json => JSON.parse(fixtureText);

function compare(document: Json) {
  return compareWithOfficial(loadDereferencedSpec(), document, loadDecisionList(), "fixture");
}
const fresh = (document: Json) => compare(document).differences.filter((d) => !d.decision);
const named = (differences: Difference[]) => differences.map((d) => `${d.operation} ${d.pointer} ${d.rule}`);

describe("official-diff's comparison", () => {
  it("finds nothing new in the unmutated document, and every decision still matches a difference", () => {
    const result = compare(official());
    expect(result.operations).toBe(listOperations().length);
    expect(named(result.differences.filter((d) => !d.decision))).toEqual([]);
    expect(result.unused.map((d) => `${d.operation} ${d.where} ${d.kind}`)).toEqual([]);
  });

  it("finds a response field Auth0 added, with the operation and the field's place", () => {
    const doc = official();
    doc.components.schemas.GetOrganizationAllConnectionResponseContent.properties.organization_member_access_level = { type: "string" };
    expect(named(fresh(doc))).toContain(
      "GET /organizations/{id}/connections/{connection_id} /response/200/body/organization_member_access_level response-field-added",
    );
  });

  it("finds a new query parameter", () => {
    const doc = official();
    doc.paths["/organizations/{id}/connections"].get.parameters.push({ name: "sort", in: "query", schema: { type: "string" } });
    expect(named(fresh(doc))).toEqual(["GET /organizations/{id}/connections /parameter/query/sort request-parameter-added"]);
  });

  it("finds a changed bound, and a changed bound that a decision pinned", () => {
    const doc = official();
    doc.paths["/organizations/{id}/connections"].get.parameters.find((p: Json) => p.name === "per_page").schema.maximum = 20;
    doc.paths["/organizations"].get.parameters.find((p: Json) => p.name === "page").schema.maximum = 500;
    const found = fresh(doc);
    expect(named(found)).toEqual([
      "GET /organizations /parameter/query/page/maximum request-type-narrowed",
      "GET /organizations/{id}/connections /parameter/query/per_page/maximum request-type-narrowed",
    ]);
    expect(found.map((d) => [d.before, d.after])).toEqual([
      [undefined, 500],
      [100, 20],
    ]);
  });

  it("finds an enum value Auth0 removed, in requests and in responses", () => {
    const doc = official();
    const levels = doc.components.schemas.OrganizationAccessLevelEnum;
    levels.enum = levels.enum.filter((value: string) => value !== "limited");
    const found = named(fresh(doc));
    expect(found).toContain("POST /organizations/{id}/connections /request/body/organization_access_level/enum request-type-narrowed");
    expect(found).toContain(
      "GET /organizations/{id}/connections/{connection_id} /response/200/body/organization_access_level/enum response-enum-value-removed",
    );
  });

  it("finds a new operation in the family next to ours, and ignores one outside it", () => {
    const doc = official();
    const operation = { operationId: "x", responses: { "200": { description: "ok" } } };
    doc.paths["/organizations/{id}/connections/{connection_id}/members"] = { get: operation };
    doc.paths["/organizations/{id}/roles"] = { get: operation };
    expect(named(fresh(doc))).toEqual(["GET /organizations/{id}/connections/{connection_id}/members / operation-added"]);
  });

  it("finds a changed scope", () => {
    const doc = official();
    doc.paths["/organizations/{id}/connections"].get.security = [{ bearerAuth: [] }, { oAuth2ClientCredentials: ["read:organization_connections_v2"] }];
    const found = fresh(doc);
    expect(named(found)).toEqual(["GET /organizations/{id}/connections /security scope-changed"]);
    expect(found[0]!.after).toEqual(["read:organization_connections_v2"]);
  });

  it("finds a changed status code", () => {
    const doc = official();
    const responses = doc.paths["/organizations/{id}/connections/{connection_id}"].delete.responses;
    responses["200"] = responses["204"];
    delete responses["204"];
    expect(named(fresh(doc))).toEqual([
      "DELETE /organizations/{id}/connections/{connection_id} /response/204 status-code-removed",
      "DELETE /organizations/{id}/connections/{connection_id} /response/200 status-code-added",
    ]);
  });

  it("finds a changed release stage (the decision holds only for EA); a move to GA, which ours implies, leaves the decision unused", () => {
    const doc = official();
    doc.paths["/organizations/{id}/connections"].post["x-release-lifecycle"] = "deprecated";
    expect(named(fresh(doc))).toEqual(["POST /organizations/{id}/connections /x-release-lifecycle release-lifecycle-changed"]);
    const promoted = official();
    for (const operation of Object.values<Json>(promoted.paths["/organizations/{id}/connections"])) operation["x-release-lifecycle"] = "GA";
    for (const operation of Object.values<Json>(promoted.paths["/organizations/{id}/connections/{connection_id}"])) operation["x-release-lifecycle"] = "GA";
    const result = compare(promoted);
    expect(named(result.differences.filter((d) => !d.decision))).toEqual([]);
    expect(result.unused.map((d) => d.where)).toEqual(["/x-release-lifecycle"]);
  });

  it("reports an operation of ours that Auth0's document no longer has", () => {
    const doc = official();
    delete doc.paths["/organizations/{id}/enabled_connections/{connectionId}"].patch;
    expect(named(fresh(doc))).toEqual(["PATCH /organizations/{id}/enabled_connections/{connectionId} / operation-removed"]);
  });

  it("refuses a reference outside the document or to nothing, as a usage error", () => {
    const outside = official();
    outside.paths["/organizations/{id}/connections"].get.parameters.push({ $ref: "https://example.com/x.json#/p" });
    expect(() => compare(outside)).toThrow(OfficialDocumentError);
    const dangling = official();
    dangling.paths["/organizations/{id}/connections"].get.parameters.push({ $ref: "#/components/parameters/Nope" });
    expect(() => compare(dangling)).toThrow(/points at nothing/);
  });
});

describe("decisions", () => {
  const decision = (fields: Partial<Decision>): Decision => ({
    operation: "*",
    where: "/",
    kind: "operation-added",
    decision: "differs",
    topic: "t",
    reason: "r",
    ...fields,
  });

  it("match by rule, operation pattern and pointer pattern (* within a segment, ** across)", () => {
    const change = { operation: "GET /clients", pointer: "/response/200/body/oneOf[1]/clients/[]/addons", rule: "response-field-added" as const };
    expect(decisionFor(change, [decision({ kind: "response-field-added", where: "/response/200/body/**" })])).toBeDefined();
    expect(decisionFor(change, [decision({ kind: "response-field-added", where: "/response/200/body/*" })])).toBeUndefined();
    expect(decisionFor(change, [decision({ kind: "response-field-removed", where: "/response/200/body/**" })])).toBeUndefined();
    expect(decisionFor(change, [decision({ kind: "response-field-added", operation: "* /organizations*", where: "/**" })])).toBeUndefined();
  });

  it("pinned to Auth0's value, hold only while it has that value (null: none)", () => {
    const bound = { operation: "GET /organizations", pointer: "/parameter/query/page/maximum", rule: "request-type-narrowed" as const };
    const pinned = decision({ kind: "request-type-narrowed", where: "/parameter/query/page/maximum", official: 1000 });
    expect(decisionFor({ ...bound, after: 1000 }, [pinned])).toBe(pinned);
    expect(decisionFor({ ...bound, after: 500 }, [pinned])).toBeUndefined();
    expect(decisionFor({ ...bound, after: undefined }, [{ ...pinned, official: null }])).toBeDefined();
  });

  it("name the family by path patterns", () => {
    const family = loadDecisionList().family;
    expect(inFamily("/organizations/{id}/connections/{connection_id}/members", family)).toBe(true);
    expect(inFamily("/organizations/{org}/enabled_connections", family)).toBe(true);
    expect(inFamily("/connections/{id}/keys/rotate", family)).toBe(true);
    expect(inFamily("/organizations/{id}/client-grants/{grant_id}", family)).toBe(true);
    expect(inFamily("/organizations/{id}/members", family)).toBe(false);
    expect(inFamily("/connections-scim-configurations", family)).toBe(false);
    expect(inFamily("/connection-profiles", family)).toBe(false);
  });

  it("are checked for shape when loaded", () => {
    expect(() =>
      checkDecisionList({ family: [], decisions: [{ operation: "*", where: "/", kind: "operation-added", decision: "maybe", topic: "t", reason: "r" }] }, "x"),
    ).toThrow(/adopted or differs/);
    expect(() =>
      checkDecisionList(
        { family: [], decisions: [{ operation: "*", where: "response/404", kind: "status-code-removed", decision: "differs", topic: "t", reason: "r" }] },
        "x",
      ),
    ).toThrow(/starts with "\/"/);
    expect(() =>
      checkDecisionList({ family: [], decisions: [{ operation: "*", where: "/", kind: "operation-added", decision: "differs", topic: "t" }] }, "x"),
    ).toThrow(/"reason"/);
  });
});
