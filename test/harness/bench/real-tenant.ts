/**
 * Benchmark 6, "a real tenant": the contract run (`npm run contract -- --base-url …`, a child process as a developer
 * starts it) against an emulator in its own process that behaves like a free or development tenant — a rate limit
 * of N requests per second and 150 ms added to every answer. For each limit: did it pass, how long it took, how many
 * requests it sent, and the request rate it achieved as a share of the limit (the pacer's own count, from its first
 * request to its last answer, so npm's and Dredd's start-up do not count).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runTimed } from "./child-run.js";
import { startChildServer } from "./servers.js";

export interface RealTenantResult {
  limitPerSecond: number;
  latencyMs: number;
  passed: boolean;
  wallMs: number;
  requests: number;
  /** From the first request to the last answer, ms. */
  activeMs: number;
  achievedPerSecond: number;
  shareOfLimit: number;
  /** The run's transaction summary line. */
  summary: string;
}

export const REAL_TENANT_LATENCY_MS = 150;
const RUN_TIMEOUT_MS = 900_000;

export async function measureRealTenant(projectRoot: string, limits: number[], log: (line: string) => void): Promise<RealTenantResult[]> {
  const work = mkdtempSync(path.join(tmpdir(), "bench-real-tenant-"));
  const results: RealTenantResult[] = [];
  try {
    for (const limit of limits) {
      const emulator = await startChildServer(`emulator at ${limit}/s`, {
        kind: "emulator",
        options: { rateLimit: { limit, windowMs: 1000 }, faults: { latencyMs: REAL_TENANT_LATENCY_MS } },
      });
      try {
        const run = await runTimed(
          "npm",
          ["run", "--silent", "contract", "--", "--base-url", emulator.baseUrl, "--journal", path.join(work, `journal-${limit}`)],
          {
            cwd: projectRoot,
            timeoutMs: RUN_TIMEOUT_MS,
            env: { AUTH0_TOKEN: emulator.token },
          },
        );
        const requests = /(\d+) requests sent in ([\d.]+) s/.exec(run.tail);
        const sent = Number(requests?.[1] ?? Number.NaN);
        const activeMs = Number(requests?.[2] ?? Number.NaN) * 1000;
        const achievedPerSecond = sent / (activeMs / 1000);
        const result: RealTenantResult = {
          limitPerSecond: limit,
          latencyMs: REAL_TENANT_LATENCY_MS,
          passed: run.exitCode === 0 && !run.timedOut,
          wallMs: run.wallMs,
          requests: sent,
          activeMs,
          achievedPerSecond,
          shareOfLimit: achievedPerSecond / limit,
          summary: /\d+ transactions: .*/.exec(run.tail)?.[0] ?? (run.timedOut ? "timed out" : "no summary"),
        };
        results.push(result);
        log(
          `  ${limit}/s: ${result.passed ? "passed" : "FAILED"} in ${(run.wallMs / 1000).toFixed(1)} s, ${sent} requests, ${achievedPerSecond.toFixed(2)}/s = ${result.shareOfLimit.toFixed(2)} of the limit`,
        );
      } finally {
        await emulator.stop();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}

export const REAL_TENANT_HEADING = "## 8. A real tenant: the contract run under a rate limit";

/** The section of BENCHMARKS.md for these figures. */
export function renderRealTenant(results: RealTenantResult[], measuredAt: Date): string {
  const rows = results.map(
    (r) =>
      `| ${r.limitPerSecond}/s | ${r.passed ? "passed" : "**failed**"} | ${(r.wallMs / 1000).toFixed(1)} s | ${r.requests} | ${r.achievedPerSecond.toFixed(2)}/s | ${r.shareOfLimit.toFixed(2)} | ${r.summary} |`,
  );
  return [
    REAL_TENANT_HEADING,
    "",
    `Measured ${measuredAt.toISOString()} (\`npm run bench -- --only real-tenant\`). \`npm run contract -- --base-url …\` against an emulator in its own process with \`--rate-limit N/1000\` and ${REAL_TENANT_LATENCY_MS} ms added to every answer (like a free or development tenant). Achieved rate: the requests the run's pacer sent, divided by the time from its first request to its last answer. Goal: a share of at least 0.8 of the limit. (A share above 1: the requests a transaction asks a forced 429 for are answered by a fault rule before the limiter, draw on no bucket, and go at once; section 9 compares whole runs with the all-knowing client instead.)`,
    "",
    "| limit | result | wall time | requests sent | achieved rate | share of the limit | transactions |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...explanation(results),
  ].join("\n");
}

/** Why a share falls short of the goal, for the rows that do. */
function explanation(results: RealTenantResult[]): string[] {
  const short = results.filter((r) => r.shareOfLimit < 0.8);
  if (short.length === 0) return [];
  const ceiling = 1000 / REAL_TENANT_LATENCY_MS;
  const lines = ["Where the share falls short of the goal, and why:", ""];
  if (short.some((r) => r.limitPerSecond > ceiling)) {
    lines.push(
      `- ${short
        .filter((r) => r.limitPerSecond > ceiling)
        .map((r) => `${r.limitPerSecond}/s`)
        .join(
          ", ",
        )}: a run sends its requests one after another (Dredd runs its transactions in order, and fixtures come between them), so with ${REAL_TENANT_LATENCY_MS} ms per answer it cannot exceed about ${ceiling.toFixed(1)} requests per second: the latency, not the limit, sets the pace.`,
    );
  }
  if (short.some((r) => r.limitPerSecond <= ceiling)) {
    lines.push(
      `- ${short
        .filter((r) => r.limitPerSecond <= ceiling)
        .map((r) => `${r.limitPerSecond}/s`)
        .join(
          ", ",
        )}: when the budget is spent the pacer waits until the window has certainly ended. \`x-ratelimit-reset\` says so to the second only; the pacer narrows it with what the answers tell about the window's length, but never sends a request it expects to be refused, so some of each window's end is waited out.`,
    );
  }
  return [...lines, ""];
}
