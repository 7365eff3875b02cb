/** Shared set-up for the contract tests: an in-process log, a running emulator, and the command run as a terminal would. */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { main } from "../../src/contract/cli.js";
import { startEmulator, type RunningEmulator, type StartOptions } from "../../src/emulator/index.js";
import { listOperations } from "../../src/shared/spec.js";
import { PROJECT_ROOT } from "../helpers/project.js";

/** One Dredd transaction per documented status of every operation: what a whole contract run counts. */
export const DOCUMENTED_TRANSACTIONS = listOperations().reduce((n, op) => n + Object.keys(op.operation.responses).length, 0);
/** The transactions that provoke a 403 (one per operation that documents it). */
export const FORBIDDEN_TRANSACTIONS = listOperations().filter((op) => op.operation.responses["403"]).length;

export function collectLog(): { lines: string[]; log: (line: string) => void; text: () => string } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line), text: () => lines.join("\n") };
}

/**
 * Runs the contract command in-process against an emulator's base URL with a token it issued (and any more
 * environment), as `auth0-contract --base-url … --journal …` would; its output collected.
 */
export async function runContractAgainst(
  emulator: RunningEmulator,
  journalDir: string,
  env: Record<string, string> = {},
): Promise<{ code: number; output: ReturnType<typeof collectLog> }> {
  const output = collectLog();
  const code = await main(
    ["--base-url", emulator.baseUrl, "--journal", journalDir],
    { AUTH0_TOKEN: await emulator.issueToken(), ...env },
    { out: output.log, err: output.log },
  );
  return { code, output };
}

export async function startTestEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, host: "127.0.0.1", ...options });
}

/** The emulator's whole tenant, as its admin API reports it. */
export async function tenantState(emulator: RunningEmulator): Promise<unknown> {
  const response = await fetch(`${emulator.url}/__emulator/state`);
  return response.json();
}

/** Sets an emulator's faults through its admin API, as a user would. */
export async function setFaults(emulator: RunningEmulator, faults: object): Promise<void> {
  const response = await fetch(`${emulator.url}/__emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`faults refused: ${response.status}`);
}

export async function currentFaults(emulator: RunningEmulator): Promise<unknown> {
  return (await fetch(`${emulator.url}/__emulator/faults`)).json();
}

export interface CommandRun {
  pid: number;
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the output matches (bounded). */
  waitFor: (pattern: RegExp | ((output: string) => boolean), timeoutMs?: number) => Promise<void>;
  /** Signals the whole process group, as a terminal's Ctrl-C does. */
  signalGroup: (signal: NodeJS.Signals) => void;
}

/**
 * `npm run contract -- …` in its own process group (as a terminal starts a foreground job), so that a signal can
 * reach npm, the shell and the run together — the way Ctrl-C does.
 */
export function startNpmContract(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string, { silent = true } = {}): CommandRun {
  // Not silent means npm's default log level, said outright: a suite started with `npm test --silent` passes
  // npm_config_loglevel=silent down to this npm, which would otherwise drop its echo of the command.
  const child = spawn("npm", ["run", silent ? "--silent" : "--loglevel=notice", "contract", "--", ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  if (stdin !== undefined) child.stdin.end(stdin);
  else child.stdin.end();
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const listener of listeners) listener();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  const output = () => stdout + stderr;
  return {
    pid: child.pid!,
    output,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    signalGroup: (signal) => process.kill(-child.pid!, signal),
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const matches = () => (typeof pattern === "function" ? pattern(output()) : pattern.test(output()));
        const done = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        const check = () => matches() && done();
        const timer = setTimeout(() => done(new Error(`no ${String(pattern)} within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
        listeners.add(check);
        void exited.then(() => !matches() && done(new Error(`the command ended before ${String(pattern)}:\n${output()}`)));
        check();
      }),
  };
}

/** Counts the progress lines of transactions in a run's output. */
export const transactionLines = (output: string) => (output.match(/^ {2}[✓✗!-] /gm) ?? []).length;

/** A fresh temporary directory for the tests of a `describe` block, removed after them. */
export function useTempDir(prefix: string): () => string {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}
