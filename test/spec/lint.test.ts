/**
 * The spec passes `npm run lint` (Redocly through the project's wrapper, scripts/redocly.ts) with no errors and no
 * warnings. One lint of the whole spec serves two checks: the spec's, and the wrapper's (Redocly's own result and
 * exit code come through, the Node 20 end-of-life banner does not; test/spec-tools/redocly.test.ts has the rest).
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_20_BANNER_MARKER } from "../../src/spec-tools/redocly.js";
import { PROJECT_ROOT, run } from "../helpers/project.js";

describe("npm run lint", () => {
  it("reports no errors and no warnings on the spec, and no end-of-life banner", async () => {
    const result = await run(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "scripts", "redocly.ts"), "lint", "--format=json"], {
      timeoutMs: 120_000,
    });
    const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain(NODE_20_BANNER_MARKER);
    expect(result.stderr).not.toMatch(/╔|end-of-life/);
  });
});
