import { describe, expect, it } from "vitest";
import { BIN, run } from "../helpers/project.js";

describe("redocly lint", () => {
  it("reports no errors and no warnings on the spec", async () => {
    const result = await run(BIN("redocly"), ["lint", "--format=json"]);
    const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(result.code).toBe(0);
  });
});
