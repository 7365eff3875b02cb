/**
 * Compares our spec's operations with Auth0's published document: the same engine as `npm run diff`
 * (src/shared/spec-compare.ts), with our spec as the old side and Auth0's document, cut down to our operations and
 * the family of paths next to them, as the new side. Auth0 names components and path parameters differently, so
 * both sides are compared fully dereferenced and operations are matched by method and path shape.
 */
import { compareSpecs, type Change } from "../../shared/spec-compare.js";
import { listOperations, type OpenApiDocument } from "../../shared/spec.js";
import { decisionFor, inFamily, type Decision, type DecisionList } from "./decisions.js";
import { dereferenceLocal } from "./dereference.js";

export interface Difference extends Change {
  decision?: Decision;
}

export interface OfficialComparison {
  /** How many operations of ours were compared. */
  operations: number;
  differences: Difference[];
  /** Decisions that matched no difference: Auth0's document no longer differs there (or the list is stale). */
  unused: Decision[];
}

const shape = (pathTemplate: string) => pathTemplate.replace(/\{[^}]*\}/g, "{}");

/** Auth0's document reduced to the paths we have and the family next to them, its `$ref`s resolved. */
export function projectOfficialDocument(official: Record<string, unknown>, ours: OpenApiDocument, family: string[], source: string): OpenApiDocument {
  const ourShapes = new Set(listOperations(ours).map((op) => shape(op.pathTemplate)));
  const paths: Record<string, unknown> = {};
  for (const [pathTemplate, item] of Object.entries(official.paths as Record<string, unknown>)) {
    if (ourShapes.has(shape(pathTemplate)) || inFamily(pathTemplate, family)) paths[pathTemplate] = dereferenceLocal(item, official, source);
  }
  return { openapi: String(official.openapi), info: { title: "Auth0 Management API", version: "" }, paths } as OpenApiDocument;
}

export function compareWithOfficial(ours: OpenApiDocument, official: Record<string, unknown>, list: DecisionList, source: string): OfficialComparison {
  const projected = projectOfficialDocument(official, ours, list.family, source);
  const differences: Difference[] = compareSpecs(ours, projected).map((change) => {
    const decision = decisionFor(change, list.decisions);
    return decision ? { ...change, decision } : change;
  });
  const used = new Set(differences.map((d) => d.decision));
  return { operations: listOperations(ours).length, differences, unused: list.decisions.filter((d) => !used.has(d)) };
}
