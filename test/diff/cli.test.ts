/**
 * `npm run diff` on the project's own git history, as a reviewer runs it on a pull request. The command runs
 * in-process (the function scripts/diff.ts calls); one case runs the script itself as a process.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffCommand } from "../../src/spec-tools/diff/command.js";
import { loadSpecAtRef, SpecSourceError } from "../../src/spec-tools/diff/load.js";
import { runInProcess } from "../helpers/command-io.js";
import { PROJECT_ROOT, run } from "../helpers/project.js";

const diff = (args: string[]) => runInProcess(diffCommand, args);

let dir: string;
let headSpecFile: string;
let firstSpecCommit: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "org-connections-diff-"));
  // HEAD's committed spec, so the checks below do not depend on uncommitted work in the tree.
  const show = await run("git", ["show", "HEAD:generated/openapi.json"]);
  expect(show.code).toBe(0);
  headSpecFile = path.join(dir, "head.json");
  await writeFile(headSpecFile, show.stdout);
  const log = await run("git", ["log", "--format=%H", "--reverse", "--", "generated/openapi.json"]);
  firstSpecCommit = log.stdout.trim().split("\n")[0]!;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.concurrent("npm run diff", () => {
  it("finds no change between HEAD's spec and HEAD", async () => {
    const result = await diff(["--base", "HEAD", "--spec", headSpecFile]);
    expect(result.stdout).toContain("No changes.");
    expect(result.code).toBe(0);
  });

  it("compares HEAD's spec with the first commit that had one, exiting 1 exactly when it lists a breaking change", async () => {
    const result = await diff(["--base", firstSpecCommit, "--spec", headSpecFile]);
    expect(result.stdout).toContain(`with ${firstSpecCommit}:generated/openapi.json`);
    expect(result.code).toBe(result.stdout.includes("Breaking changes (") ? 1 : 0);
  });

  it("compares the working tree's bundled spec by default (the script, as a process)", async () => {
    const result = await run(process.execPath, ["--import", "tsx", "scripts/diff.ts", "--base", "HEAD"], { timeoutMs: 60_000 });
    expect(result.stdout).toMatch(/^Comparing generated\/openapi\.json with HEAD:generated\/openapi\.json$/m);
    expect([0, 1]).toContain(result.code);
  });

  it("exits 1 and lists breaking changes first when a spec breaks clients", async () => {
    const spec = JSON.parse(await readFile(headSpecFile, "utf8"));
    delete spec.paths["/connections/{id}"].delete; // an operation removed: breaking
    spec.paths["/connections/{id}"].get.parameters.push({ name: "x_new", in: "query", schema: { type: "string" } }); // harmless
    const broken = path.join(dir, "broken.json");
    await writeFile(broken, JSON.stringify(spec));

    const result = await diff(["--base", "HEAD", "--spec", broken]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    const breakingAt = lines.findIndex((l) => l.startsWith("Breaking changes (1):"));
    const otherAt = lines.findIndex((l) => l.startsWith("Other changes (1):"));
    expect(breakingAt).toBeGreaterThan(-1);
    expect(otherAt).toBeGreaterThan(breakingAt);
    expect(lines[breakingAt + 1]).toBe("  ✗ DELETE /connections/{id}: operation removed [operation-removed]");
    expect(lines[otherAt + 1]).toContain("query parameter x_new: new optional parameter [request-parameter-added]");
  });

  it.each([
    [["--base", "no-such-ref-anywhere"], /unknown git ref "no-such-ref-anywhere"/],
    [[], /--base <git-ref> is required/],
    [["--base", "HEAD", "--spec", "/definitely/not/here.json"], /cannot read \/definitely\/not\/here\.json/],
    [["--base", "HEAD", "--colour"], /Unknown option '--colour'/],
  ])("treats %j as a usage error (exit 2, no stack trace)", async (args, message) => {
    const result = await diff(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("Usage: npm run diff -- --base <git-ref>");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports a file missing at the ref as a usage error", async () => {
    // Every commit so far has the bundled spec, so ask for a file that no commit has.
    const missing = loadSpecAtRef("HEAD", "generated/not-a-spec.json", PROJECT_ROOT);
    await expect(missing).rejects.toBeInstanceOf(SpecSourceError);
    await expect(missing).rejects.toThrow("generated/not-a-spec.json does not exist at HEAD");
  });
});
