/**
 * `npm run bench -- --only SECTION` refreshes one section of BENCHMARKS.md, and its lines in the summary, in place:
 * everything else (other sections, other summary lines, the hand-written findings) stays as it was.
 */
import { describe, expect, it } from "vitest";
import { runsSection, runsSummaryRows, spliceSection, spliceSummaryRows } from "./bench/report.js";

const REPORT = [
  "# Benchmarks",
  "",
  "## Summary",
  "",
  "| Comparison | Result | Target |  |",
  "| --- | --- | --- | --- |",
  "| 2. Round trips | 0.85× | ≥ 0.9× | **missed** |",
  "| 3. Emulator vs Prism | 9.17× Prism's req/s | ≥ 10× | **missed** |",
  "| 4. Contract run | 3.4 s | < 10 s | met |",
  "",
  "## 3. Server throughput",
  "",
  "old figures",
  "",
  "## 4. Contract runs",
  "",
  "contract figures",
  "",
  "## Findings (written by hand)",
  "",
  "notes",
  "",
].join("\n");

describe("refreshing one benchmark in BENCHMARKS.md", () => {
  it("replaces that section and its summary lines, and adds a summary line the table lacks at its end", () => {
    const section = "## 3. Server throughput\n\nnew figures\n";
    const rows = [
      ["3. Emulator vs Prism", "12.10× Prism's req/s", "≥ 10×", "met"],
      ["3b. In-process", "6.00× msw's calls/s", "≥ 5×", "met"],
    ];
    const updated = spliceSummaryRows(spliceSection(REPORT, section), rows);
    expect(updated).toBe(
      REPORT.replace("| 3. Emulator vs Prism | 9.17× Prism's req/s | ≥ 10× | **missed** |", "| 3. Emulator vs Prism | 12.10× Prism's req/s | ≥ 10× | met |")
        .replace(
          "| 4. Contract run | 3.4 s | < 10 s | met |",
          "| 4. Contract run | 3.4 s | < 10 s | met |\n| 3b. In-process | 6.00× msw's calls/s | ≥ 5× | met |",
        )
        .replace("old figures", "new figures"),
    );
  });

  it("leaves a report without a summary table as it is", () => {
    expect(spliceSummaryRows("# Benchmarks\n\nno summary\n", [["3. Emulator vs Prism", "x", "y", "z"]])).toBe("# Benchmarks\n\nno summary\n");
  });

  it("renders section 4 measured on its own (--only runs) with the npm test line the summary judges", () => {
    const figures = {
      contract: [{ target: "emulator" as const, samples: [3400], medianMs: 3400, allPassed: true, summary: "159 transactions" }],
      testSuite: { wallMs: 95_000, passed: true, timedOut: false, files: [{ file: "test/contract/cleanup.test.ts", ms: 43_000, tests: 9 }], totalTests: 1900 },
    };
    const section = runsSection(figures, { measuredAt: new Date("2026-11-30T15:00:00Z"), loadAtStart: 0.5, loadAtEnd: 1.5 });
    expect(section.split("\n")[0]).toBe("## 4. Contract runs and the test suite");
    expect(section).toContain("Measured 2026-11-30T15:00:00.000Z (`npm run bench -- --only runs`)");
    expect(section).toContain("`npm test`: 95.0 s, passed, 1900 tests in 1 files.");
    expect(section).toContain("| test/contract/cleanup.test.ts | 43.0 s | 9 |");
    expect(runsSummaryRows(figures)).toEqual([
      ["4. Contract run against the emulator", "3.4 s (Prism: NaN s)", "< 10 s", "met"],
      ["4. Whole `npm test`", "95.0 s (passed)", "< 60 s", "**missed**"],
    ]);
  });
});
