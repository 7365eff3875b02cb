/**
 * openapi/OFFICIAL-COMPARISON.md (the prose, with the evidence) and openapi/official-decisions.yaml (the list
 * `official-diff` reads) must say the same: every entry names a row of the prose that gives the same decision,
 * every row that says **Differs** has an entry (else the command would report it as new), and the prose covers
 * every operation of the spec. The generated JSON is the YAML as written.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkDecisionList, loadDecisionList, type Decision } from "../../src/contract/official-diff/decisions.js";
import { listOperations } from "../../src/shared/spec.js";
import { PROJECT_ROOT } from "../helpers/project.js";

const prose = readFileSync(path.join(PROJECT_ROOT, "openapi", "OFFICIAL-COMPARISON.md"), "utf8");
const list = checkDecisionList(parse(readFileSync(path.join(PROJECT_ROOT, "openapi", "official-decisions.yaml"), "utf8")), "official-decisions.yaml");

/** Every table row of the prose, by its first cell without Markdown (`POST /organizations`, `Error bodies`). */
const rows = new Map(
  prose
    .split("\n")
    .filter((line) => line.startsWith("| ") && !/^\| (Topic|Operation) \|/.test(line) && !line.startsWith("| ---"))
    .map((line) => [line.split(" | ")[0]!.slice(2).replace(/[`*]/g, "").trim(), line] as const),
);
const word = (decision: Decision["decision"]) => (decision === "adopted" ? "**Adopted**" : "**Differs**");

describe("the decisions about Auth0's document", () => {
  it("each name a row of OFFICIAL-COMPARISON.md that gives the same decision", () => {
    const mismatched = list.decisions
      .filter((d) => !rows.get(d.topic)?.includes(word(d.decision)))
      .map((d) => `${d.operation} ${d.where} ${d.kind}: ${rows.has(d.topic) ? `row "${d.topic}" does not say ${word(d.decision)}` : `no row "${d.topic}"`}`);
    expect(mismatched).toEqual([]);
  });

  it("cover every row of the prose that says we differ", () => {
    const cited = new Set(list.decisions.filter((d) => d.decision === "differs").map((d) => d.topic));
    expect([...rows].filter(([topic, line]) => line.includes("**Differs**") && !cited.has(topic)).map(([topic]) => topic)).toEqual([]);
  });

  it("sit beside prose that has a row for each of the spec's operations", () => {
    const operations = listOperations().map((op) => `${op.method.toUpperCase()} ${op.pathTemplate}`);
    expect(operations.filter((operation) => !rows.has(operation))).toEqual([]);
  });

  it("are what generated/official-decisions.json holds (npm run generate writes it)", () => {
    expect(loadDecisionList()).toEqual(list);
  });
});
