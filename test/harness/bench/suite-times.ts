/**
 * Benchmark 4: wall-clock times of whole runs, each a child process exactly as a developer starts it — the
 * contract run against the emulator and against Prism (`npm run contract`, alternating), and the whole `npm test`
 * with the per-file durations from vitest's JSON report, so a slow suite says which files make it slow.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runTimed } from "./child-run.js";
import { median } from "./stats.js";

export interface ContractTimes {
  target: "emulator" | "prism";
  /** Wall time of each run, ms. */
  samples: number[];
  medianMs: number;
  /** Every run exited 0. */
  allPassed: boolean;
  /** The runner's summary line of the last run. */
  summary: string;
}

export interface FileDuration {
  file: string;
  ms: number;
  tests: number;
}

export interface TestSuiteTime {
  wallMs: number;
  passed: boolean;
  timedOut: boolean;
  /** From reports/vitest.json: the test files, slowest first. */
  files: FileDuration[];
  totalTests: number;
}

const CONTRACT_TIMEOUT_MS = 180_000;

function summaryLine(output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.reverse().find((l) => /passing|passed|failed|failing/i.test(l)) ?? lines[0] ?? "";
}

export async function timeContractRuns(projectRoot: string, rounds: number, log: (line: string) => void): Promise<ContractTimes[]> {
  const work = mkdtempSync(path.join(tmpdir(), "bench-contract-"));
  const results: Record<"emulator" | "prism", ContractTimes> = {
    emulator: { target: "emulator", samples: [], medianMs: Number.NaN, allPassed: true, summary: "" },
    prism: { target: "prism", samples: [], medianMs: Number.NaN, allPassed: true, summary: "" },
  };
  try {
    for (let round = 0; round < rounds; round += 1) {
      const order: Array<"emulator" | "prism"> = round % 2 === 0 ? ["emulator", "prism"] : ["prism", "emulator"];
      for (const target of order) {
        const args = ["run", "--silent", "contract", "--", "--journal", path.join(work, `journal-${target}`)];
        if (target === "prism") args.push("--target", "prism");
        const run = await runTimed("npm", args, { cwd: projectRoot, timeoutMs: CONTRACT_TIMEOUT_MS });
        const entry = results[target];
        entry.samples.push(run.wallMs);
        entry.allPassed &&= run.exitCode === 0 && !run.timedOut;
        entry.summary = run.timedOut ? `timed out after ${CONTRACT_TIMEOUT_MS / 1000} s` : summaryLine(run.tail);
        log(`  contract against ${target}: ${(run.wallMs / 1000).toFixed(1)} s, exit ${String(run.exitCode)} — ${entry.summary}`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const entry of Object.values(results)) entry.medianMs = median(entry.samples);
  return [results.emulator, results.prism];
}

interface VitestJson {
  numTotalTests?: number;
  testResults?: Array<{ name: string; startTime: number; endTime: number; assertionResults?: unknown[] }>;
}

function readFileDurations(reportFile: string, projectRoot: string): { files: FileDuration[]; totalTests: number } {
  try {
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as VitestJson;
    const files = (report.testResults ?? [])
      .map((r) => ({ file: path.relative(projectRoot, r.name), ms: r.endTime - r.startTime, tests: r.assertionResults?.length ?? 0 }))
      .sort((a, b) => b.ms - a.ms);
    return { files, totalTests: report.numTotalTests ?? 0 };
  } catch {
    return { files: [], totalTests: 0 };
  }
}

export async function timeTestSuite(projectRoot: string, timeoutMs: number): Promise<TestSuiteTime> {
  const run = await runTimed("npm", ["test", "--silent"], { cwd: projectRoot, timeoutMs });
  return {
    wallMs: run.wallMs,
    passed: run.exitCode === 0 && !run.timedOut,
    timedOut: run.timedOut,
    ...readFileDurations(path.join(projectRoot, "reports", "vitest.json"), projectRoot),
  };
}
