/**
 * Issue 24, the way a contributor meets it: the spec changes, `npm run generate` rewrites generated/spec-facts.ts,
 * and the contract's plans (src/contract/plan.ts) stop compiling until they follow. A copy of src/ and generated/ is
 * type-checked against spec facts rendered from an edited spec: one operation gains a 409 it has no conflict plan
 * for, another loses the 409 it has one for. (plan-tables.test-d.ts checks the table types themselves.)
 */
import { cp, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDereferencedSpec, type OpenApiDocument } from "../../src/shared/spec.js";
import { renderSpecFacts } from "../../src/spec-tools/spec-facts.js";
import { BIN, PROJECT_ROOT, run } from "../helpers/project.js";

/** A project of its own holding src/ and generated/, type-checking only the contract's plans (and what they import). */
async function planProject(specFacts: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "plan-tables-"));
  for (const entry of ["src", "generated"]) {
    await cp(path.join(PROJECT_ROOT, entry), path.join(dir, entry), {
      recursive: true,
      filter: (source) => !/[\\/](dist|node_modules)$/.test(source),
    });
  }
  await symlink(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  await writeFile(path.join(dir, "generated", "spec-facts.ts"), specFacts);
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  await writeFile(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ extends: path.join(PROJECT_ROOT, "tsconfig.json"), include: [], files: ["src/contract/plan.ts"] }),
  );
  return dir;
}

const typeCheck = (dir: string) => run(BIN("tsc"), ["--noEmit", "-p", path.join(dir, "tsconfig.json")], { cwd: dir });

type Responses = Record<string, unknown>;
type EditableSpec = { paths: Record<string, Record<string, { responses: Responses }>> };

/** The responses of one operation of a copy of the spec, or an error saying the spec no longer has it. */
function responsesOf(spec: EditableSpec, pathTemplate: string, method: string): Responses {
  const responses = spec.paths[pathTemplate]?.[method]?.responses;
  if (!responses) throw new Error(`the spec has no ${method} ${pathTemplate} any more: this test needs another operation to edit`);
  return responses;
}

/** A copy of the dereferenced spec with `edit` made to it. */
function edited(spec: OpenApiDocument, edit: (copy: EditableSpec) => void): OpenApiDocument {
  const copy = structuredClone(spec) as unknown as EditableSpec;
  edit(copy);
  return copy as unknown as OpenApiDocument;
}

/** The `src/` lines of tsc's report (`file(line,col): error TS…`). */
const errorsOf = (output: string) => output.split("\n").filter((line) => line.startsWith("src/"));

describe("the contract's per-status plans follow the spec", () => {
  const projects: Record<"unchanged" | "gained" | "lost", string> = { unchanged: "", gained: "", lost: "" };

  beforeAll(async () => {
    const spec = loadDereferencedSpec();
    projects.unchanged = await planProject(renderSpecFacts(spec));
    // GET /connections/{id} documents a 409 (the one POST /connections documents).
    const gained = edited(spec, (copy) => {
      const conflict = responsesOf(copy, "/connections", "post")["409"];
      const responses = responsesOf(copy, "/connections/{id}", "get");
      if (!conflict || responses["409"]) throw new Error("the spec changed: POST /connections lost its 409 or GET /connections/{id} has one");
      responses["409"] = conflict;
    });
    projects.gained = await planProject(renderSpecFacts(gained));
    // PATCH /connections/{id} no longer documents its 409.
    const lost = edited(spec, (copy) => {
      const responses = responsesOf(copy, "/connections/{id}", "patch");
      if (!responses["409"]) throw new Error("the spec changed: PATCH /connections/{id} has no 409 to remove");
      delete responses["409"];
    });
    projects.lost = await planProject(renderSpecFacts(lost));
  });

  afterAll(async () => {
    for (const dir of Object.values(projects)) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("compile against the spec as it is", async () => {
    const result = await typeCheck(projects.unchanged);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  }, 120_000);

  it("do not compile when an operation gains a 409 it has no conflict plan for", async () => {
    const result = await typeCheck(projects.gained);
    expect(result.code).not.toBe(0);
    expect(errorsOf(result.stdout)).toEqual([
      expect.stringMatching(/^src\/contract\/plan\.ts\(\d+,\d+\): error TS2741: Property 'getConnection' is missing in type .*'StatusRequests<409>'/),
    ]);
  }, 120_000);

  it("do not compile while a conflict plan is left for an operation that no longer documents 409", async () => {
    const result = await typeCheck(projects.lost);
    expect(result.code).not.toBe(0);
    // The left-over entry, and (its table's type being gone) its untyped parameter: nothing outside the plans breaks.
    const errors = errorsOf(result.stdout);
    expect(errors).toContainEqual(
      expect.stringMatching(/^src\/contract\/plan\.ts\(\d+,\d+\): error TS2561: .*'updateConnection' does not exist in type 'StatusRequests<409>'/),
    );
    expect(errors.every((line) => line.startsWith("src/contract/plan.ts("))).toBe(true);
  }, 120_000);
});
