/**
 * Benchmark 6: how long a user waits after starting the emulator — the installed `auth0-emulator` command (built
 * JavaScript of the emulator package, after `npm run build`) against `npm run emulator`'s way of starting it
 * (TypeScript compiled by tsx on every start), alternating. Each start is timed from spawning the process until
 * `GET /__emulator/state` answers (polled every 5 ms; issue 14's target for `auth0-emulator` is 0.5 s), and until
 * the banner has printed its token; then the first request with that token (`GET /api/v2/organizations`, which
 * goes through validation) is timed, so a start made fast by putting work off onto the first request would show.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../../src/shared/ports.js";
import { currentLoad } from "./machine.js";
import { median } from "./stats.js";
import { NPM } from "../../helpers/project.js";
import { builtCommand } from "../../helpers/shared-build.js";

export interface StartupResult {
  name: string;
  /** Milliseconds from spawn to the first answered request, one per start. */
  samples: number[];
  medianMs: number;
  /** Milliseconds from spawn until the banner's token was printed (absent in reports from before it was measured). */
  tokenSamples?: number[];
  /** Milliseconds the first request with that token took, one per start. */
  firstRequestSamples?: number[];
  /** The 1-minute load average when the starts began (other work on the machine slows a start). */
  loadAverage?: number;
}

interface Starter {
  name: string;
  args: (port: number) => string[];
}

interface OneStart {
  firstAnswerMs: number;
  tokenMs: number;
  firstRequestMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The banner's last line is the token (src/emulator/cli.ts): a whole line of three base64url parts. */
const TOKEN_LINE = /^([\w-]+\.[\w-]+\.[\w-]+)\n/m;

async function timeOneStart(projectRoot: string, starter: Starter, timeoutMs: number): Promise<OneStart> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, starter.args(port), { cwd: projectRoot, stdio: ["ignore", "pipe", "ignore"] });
  let printed = "";
  const token = new Promise<{ token: string; at: number }>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      printed += chunk.toString();
      const match = TOKEN_LINE.exec(printed);
      if (match?.[1]) resolve({ token: match[1], at: performance.now() - started });
    });
  });
  const deadline = (what: string) =>
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${starter.name}: no ${what} within ${timeoutMs} ms`)), timeoutMs - (performance.now() - started)).unref(),
    );
  try {
    let firstAnswerMs: number | undefined;
    while (firstAnswerMs === undefined) {
      if (performance.now() - started > timeoutMs) throw new Error(`${starter.name} did not answer within ${timeoutMs} ms`);
      if (child.exitCode !== null) throw new Error(`${starter.name} exited (${child.exitCode}) before answering`);
      const answered = await fetch(`http://127.0.0.1:${port}/__emulator/state`, { signal: AbortSignal.timeout(1_000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (answered) firstAnswerMs = performance.now() - started;
      else await sleep(5);
    }
    const printedToken = await Promise.race([token, deadline("token on stdout")]);
    const before = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/v2/organizations`, { headers: { authorization: `Bearer ${printedToken.token}` } });
    await response.arrayBuffer();
    const firstRequestMs = performance.now() - before;
    if (!response.ok) throw new Error(`${starter.name} answered the first request with its token with ${response.status}`);
    return { firstAnswerMs, tokenMs: printedToken.at, firstRequestMs };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once("exit", resolve)));
  }
}

/** Needs `npm run build` first (the emulator package's dist/); `rounds` starts of each, alternating, after one warm-up each. */
export async function measureEmulatorStartup(projectRoot: string, rounds: number, timeoutMs = 30_000): Promise<StartupResult[]> {
  const bin = builtCommand("auth0-emulator");
  if (!existsSync(bin)) throw new Error(`${path.relative(projectRoot, bin)} is missing: run npm run build first`);
  const starters: Starter[] = [
    { name: "auth0-emulator (built JavaScript)", args: (port) => [bin, "--port", String(port)] },
    {
      name: "npm run emulator (tsx)",
      args: (port) => [path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/emulator.ts", "--port", String(port)],
    },
  ];
  const loadAverage = currentLoad();
  for (const starter of starters) await timeOneStart(projectRoot, starter, timeoutMs); // warm-up: disk cache, tsx cache
  const starts = starters.map(() => [] as OneStart[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, starter] of starters.entries()) starts[i]!.push(await timeOneStart(projectRoot, starter, timeoutMs));
  }
  return starters.map((starter, i) => {
    const samples = starts[i]!.map((start) => start.firstAnswerMs);
    return {
      name: starter.name,
      samples,
      medianMs: median(samples),
      tokenSamples: starts[i]!.map((start) => start.tokenMs),
      firstRequestSamples: starts[i]!.map((start) => start.firstRequestMs),
      loadAverage,
    };
  });
}

/** `npm run build`, then `measureEmulatorStartup`: what `npm run bench` reports (all of it, or `--only startup`). */
export function buildAndMeasureStartup(projectRoot: string, rounds: number): Promise<StartupResult[]> {
  execFileSync(NPM, ["run", "build"], { cwd: projectRoot, stdio: "ignore" });
  return measureEmulatorStartup(projectRoot, rounds);
}
