/** Paths and small process helpers shared by the tests. */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** npm's command (a .cmd shim on Windows). */
export const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
export const BIN = (name: string) => path.join(PROJECT_ROOT, "node_modules", ".bin", name);
export const RECORDINGS_DIR = path.join(PROJECT_ROOT, "test", "fixtures", "auth0-recordings");

const execFileAsync = promisify(execFile);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (bounded by `timeoutMs`) and returns its exit code and output. */
export async function run(command: string, args: string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd: options.cwd ?? PROJECT_ROOT,
      timeout: options.timeoutMs ?? 120_000,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
}
