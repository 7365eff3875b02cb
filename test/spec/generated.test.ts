/**
 * generated/ is committed and must always be what `npm run generate` writes from openapi/. These tests run the
 * same check as `npm run check:generated`, and prove it fails when the spec changes without a regeneration.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findStaleArtifacts, writeArtifacts } from "../../src/spec-tools/generate.js";
import { BIN, PROJECT_ROOT, run } from "../helpers/project.js";

describe("generated/ drift check", () => {
  let copy: string;

  beforeAll(async () => {
    // A copy of the spec, its config and the committed artefacts, as a contributor's working tree would hold them.
    copy = await mkdtemp(path.join(tmpdir(), "spec-copy-"));
    for (const entry of ["openapi", "generated", "redocly.yaml"]) {
      await cp(path.join(PROJECT_ROOT, entry), path.join(copy, entry), { recursive: true });
    }
  });

  afterAll(async () => {
    await rm(copy, { recursive: true, force: true });
  });

  it("finds the committed artefacts identical to a fresh generation", async () => {
    expect(await findStaleArtifacts(path.join(PROJECT_ROOT, "redocly.yaml"))).toEqual([]);
  });

  it("fails `check:generated` when a spec file is edited without regenerating", async () => {
    const target = path.join(copy, "openapi", "components", "parameters", "PerPage.yaml");
    const original = await readFile(target, "utf8");
    await writeFile(target, original.replace("maximum: 100", "maximum: 200").replace("How many results to return per page.", "Results per page."));

    expect(await findStaleArtifacts(path.join(copy, "redocly.yaml"))).toEqual(["openapi.json", "openapi.dereferenced.json", "schema.d.ts", "spec-facts.ts"]);

    const result = await run(BIN("tsx"), [path.join(PROJECT_ROOT, "scripts", "check-generated.ts")], { cwd: copy });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("generated/ is out of date");
    expect(result.stderr).toContain("npm run generate");

    // Regenerating in the copy brings it back in step.
    await writeArtifacts(path.join(copy, "redocly.yaml"));
    expect(await findStaleArtifacts(path.join(copy, "redocly.yaml"))).toEqual([]);
  });
});
