/**
 * Benchmark 6: how long a user waits after starting the emulator before its first request is answered — the
 * installed `auth0-emulator` command (built JavaScript, dist/emulator/bin.js after `npm run build`) against
 * `npm run emulator`'s way of starting it (TypeScript compiled by tsx on every start), alternating. Each start
 * is timed from spawning the process until `GET /__emulator/state` answers, polled every 5 ms.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../../src/shared/ports.js";
import { median } from "./stats.js";

export interface StartupResult {
  name: string;
  /** Milliseconds from spawn to the first answered request, one per start. */
  samples: number[];
  medianMs: number;
}

interface Starter {
  name: string;
  args: (port: number) => string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timeOneStart(projectRoot: string, starter: Starter, timeoutMs: number): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, starter.args(port), { cwd: projectRoot, stdio: "ignore" });
  try {
    while (performance.now() - started < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`${starter.name} exited (${child.exitCode}) before answering`);
      const answered = await fetch(`http://127.0.0.1:${port}/__emulator/state`, { signal: AbortSignal.timeout(1_000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (answered) return performance.now() - started;
      await sleep(5);
    }
    throw new Error(`${starter.name} did not answer within ${timeoutMs} ms`);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once("exit", resolve)));
  }
}

/** Needs `npm run build` first (dist/emulator/bin.js); `rounds` starts of each, alternating, after one warm-up each. */
export async function measureEmulatorStartup(projectRoot: string, rounds: number, timeoutMs = 30_000): Promise<StartupResult[]> {
  const bin = path.join(projectRoot, "dist", "emulator", "bin.js");
  if (!existsSync(bin)) throw new Error(`${path.relative(projectRoot, bin)} is missing: run npm run build first`);
  const starters: Starter[] = [
    { name: "auth0-emulator (built JavaScript)", args: (port) => [bin, "--port", String(port)] },
    { name: "npm run emulator (tsx)", args: (port) => [path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/emulator.ts", "--port", String(port)] },
  ];
  for (const starter of starters) await timeOneStart(projectRoot, starter, timeoutMs); // warm-up: disk cache, tsx cache
  const samples = starters.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, starter] of starters.entries()) samples[i]!.push(await timeOneStart(projectRoot, starter, timeoutMs));
  }
  return starters.map((starter, i) => ({ name: starter.name, samples: samples[i]!, medianMs: median(samples[i]!) }));
}
