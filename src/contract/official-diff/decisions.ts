/**
 * The differences from Auth0's document that the project has already decided (openapi/official-decisions.yaml,
 * written to generated/official-decisions.json by `npm run generate`), and the family of paths next to ours that
 * is watched for new operations. A difference no decision covers is new.
 */
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import type { Rule } from "../../shared/spec-compare.js";

export interface Decision {
  /** `METHOD /path` as our spec writes it (`*` matches any text: `*` alone is every operation). */
  operation: string;
  /** The pointer in the operation (`/response/404`, `/request/body/name/pattern`); `*` matches within one segment, `**` across segments. */
  where: string;
  /** The comparison rule, read from our spec to Auth0's document (`response-field-added`: only Auth0's has the field). */
  kind: Rule;
  decision: "adopted" | "differs";
  /** The first cell of the row of openapi/OFFICIAL-COMPARISON.md that explains it. */
  topic: string;
  reason: string;
  /** When given, the decision holds only while Auth0's side has exactly this value (a bound, an enum, a stage). */
  official?: unknown;
}

export interface DecisionList {
  /** Path patterns whose operations count as next to ours (`{}` a parameter segment, `*` within a segment, `**` any segments). */
  family: string[];
  decisions: Decision[];
}

const DECISIONS_FILE = new URL("../../../generated/official-decisions.json", import.meta.url);

export function loadDecisionList(): DecisionList {
  return checkDecisionList(JSON.parse(readFileSync(DECISIONS_FILE, "utf8")), "generated/official-decisions.json");
}

/** Throws an Error naming the entry and field when the list is not of the shape above. */
export function checkDecisionList(value: unknown, source: string): DecisionList {
  const list = value as Partial<DecisionList> | null;
  if (!list || !Array.isArray(list.family) || !list.family.every((p) => typeof p === "string"))
    throw new Error(`${source}: "family" must be a list of path patterns`);
  if (!Array.isArray(list.decisions)) throw new Error(`${source}: "decisions" must be a list`);
  list.decisions.forEach((entry, index) => {
    const at = `${source}: decision ${index + 1}`;
    for (const field of ["operation", "where", "kind", "topic", "reason"] as const) {
      if (typeof entry?.[field] !== "string" || entry[field].trim() === "") throw new Error(`${at} needs a non-empty "${field}"`);
    }
    if (entry.decision !== "adopted" && entry.decision !== "differs")
      throw new Error(`${at}: "decision" is adopted or differs, not ${JSON.stringify(entry.decision)}`);
    if (!entry.where.startsWith("/")) throw new Error(`${at}: "where" starts with "/" (the operation itself is "/")`);
  });
  return list as DecisionList;
}

/** A pattern over text: `**` any characters, `*` any but `/`; everything else literally. */
function globToRegExp(pattern: string, star: string): RegExp {
  const parts = pattern.split(/(\*\*|\*)/).map((part) => (part === "**" ? ".*" : part === "*" ? star : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return new RegExp(`^${parts.join("")}$`);
}

export interface Comparable {
  operation: string;
  pointer: string;
  rule: Rule;
  after?: unknown;
}

/** The first decision that covers a difference, or undefined when it is new. */
export function decisionFor(difference: Comparable, decisions: Decision[]): Decision | undefined {
  return decisions.find(
    (d) =>
      d.kind === difference.rule &&
      globToRegExp(d.operation, ".*").test(difference.operation) &&
      globToRegExp(d.where, "[^/]*").test(difference.pointer) &&
      // Auth0's side having no value at all (no bound, no default) is written `official: null`.
      (!("official" in d) || isDeepStrictEqual(d.official, difference.after ?? null)),
  );
}

/** Whether a path template lies in the watched family (`{id}` and `{}` both stand for any parameter segment). */
export function inFamily(pathTemplate: string, family: string[]): boolean {
  const normal = (p: string) => p.replace(/\{[^}]*\}/g, "{}");
  return family.some((pattern) => {
    const regex = normal(pattern)
      .split(/(\/\*\*|\*)/)
      .map((part) => (part === "/**" ? "(?:/[^/]+)*" : part === "*" ? "[^/]*" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("");
    return new RegExp(`^${regex}$`).test(normal(pathTemplate));
  });
}
