/**
 * Issue 24: nothing in src/ types again a fact the spec defines. The code reads the base path, the rate-limit header
 * names and the page sizes from generated/spec-facts.ts and the access levels from the spec's types; this test reads
 * every TypeScript file under src/ (its syntax tree, so comments and prose do not count) and fails on a literal that
 * restates one of them:
 * - a string holding the base path (`/api/v2`) or an `x-ratelimit-*` header name the spec declares;
 * - a page size the spec defines (an operation's `per_page`/`take` default or maximum) written as a bare number where
 *   a page size goes: a `per_page`/`take`/`perPage`/`pageSize` property, variable or parameter, or `per_page=…` /
 *   `take=…` in a string;
 * - the values of OrganizationAccessLevel listed again: all of them but at most one in one array or union type (two
 *   alone are not enough: `"none"` and `"full"` are words other unions use too).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { API_BASE_PATH, OPERATIONS, type OperationFacts, RATE_LIMIT_HEADERS } from "../../generated/spec-facts.js";
import { loadDereferencedSpec } from "../../src/shared/spec.js";
import { PROJECT_ROOT } from "../helpers/project.js";

const HEADER_NAMES: readonly string[] = Object.values(RATE_LIMIT_HEADERS);
const PAGE_SIZES = new Set(
  (Object.values(OPERATIONS) as OperationFacts[]).flatMap((operation) =>
    ["per_page", "take"]
      .flatMap((name) => [operation.query[name]?.default, operation.query[name]?.maximum])
      .filter((value): value is number => typeof value === "number"),
  ),
);
const ACCESS_LEVELS = new Set((loadDereferencedSpec().components?.schemas?.OrganizationAccessLevel as { enum: string[] }).enum);
const PAGE_SIZE_NAME = /^(per_?page|take|page_?size|default_page_size)$/i;
const PAGE_SIZE_IN_STRING = /\b(?:per_page|take)=(\d+)\b/g;

interface Finding {
  file: string;
  line: number;
  what: string;
}

const nameOf = (node: ts.Node | undefined) => (node && (ts.isIdentifier(node) || ts.isStringLiteral(node)) ? node.text : undefined);

function pageSizeLiteral(node: ts.Node | undefined): number | undefined {
  if (node === undefined) return undefined;
  const value = ts.isNumericLiteral(node) ? Number(node.text) : ts.isStringLiteral(node) && /^\d+$/.test(node.text) ? Number(node.text) : undefined;
  return value !== undefined && PAGE_SIZES.has(value) ? value : undefined;
}

/** The literals in one file's text that restate a fact of the spec. */
export function findSpecLiterals(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const found = (node: ts.Node, what: string) => findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, what });
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const lower = node.text.toLowerCase();
      if (node.text.includes(API_BASE_PATH)) found(node, `the base path ${API_BASE_PATH}`);
      for (const header of HEADER_NAMES) if (lower.includes(header)) found(node, `the header name ${header}`);
      for (const match of node.text.matchAll(PAGE_SIZE_IN_STRING)) if (PAGE_SIZES.has(Number(match[1]))) found(node, `a page size (${match[0]})`);
    }
    if (
      (ts.isPropertyAssignment(node) || ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isPropertyDeclaration(node)) &&
      PAGE_SIZE_NAME.test(nameOf(node.name) ?? "")
    ) {
      const size = pageSizeLiteral(node.initializer);
      if (size !== undefined) found(node, `a page size (${nameOf(node.name)} ${size})`);
    }
    const members = ts.isArrayLiteralExpression(node)
      ? node.elements
      : ts.isUnionTypeNode(node)
        ? node.types.map((type) => (ts.isLiteralTypeNode(type) ? type.literal : type))
        : undefined;
    if (members) {
      const levels = members.filter((member) => ts.isStringLiteral(member) && ACCESS_LEVELS.has(member.text));
      if (levels.length >= Math.max(2, ACCESS_LEVELS.size - 1)) found(node, "the OrganizationAccessLevel values");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "dist" || entry.name === "node_modules" ? [] : sourceFiles(full);
    return /\.(ts|cts|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

describe("src/ restates no literal the spec defines", () => {
  it("finds none in src/", () => {
    const findings = sourceFiles(path.join(PROJECT_ROOT, "src")).flatMap((file) =>
      findSpecLiterals(path.relative(PROJECT_ROOT, file), readFileSync(file, "utf8")),
    );
    expect(findings).toEqual([]);
  });

  it("finds each kind when it is planted, and not in comments or under other names", () => {
    const planted = [
      "const url = `https://${domain}/api/v2`;",
      'headers.get("X-RateLimit-Reset");',
      "export const DEFAULT_PAGE_SIZE = 100;",
      'const query = { include_totals: "true", per_page: "50" };',
      "fetch(`/organizations?per_page=100`);",
      "function walk(take = 1000) {}",
      'type Level = "none" | "readonly" | "limited" | "full";',
      'const levels = ["readonly", "limited", "full"];',
    ];
    for (const line of planted) expect(findSpecLiterals("planted.ts", line), line).toHaveLength(1);

    const innocent = [
      "// the API is at /api/v2 and answers x-ratelimit-limit",
      "/** per_page: 100 */",
      "const retries = 100;",
      'type AuthMode = "full" | "narrow" | "none" | "bad-signature";',
      "const query = { per_page: 3, take: 2 };",
      "const query = { per_page: OPERATIONS.listClients.query.per_page.maximum };",
    ];
    for (const line of innocent) expect(findSpecLiterals("innocent.ts", line), line).toEqual([]);
  });
});
