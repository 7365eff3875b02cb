/** Runs a command to completion as a child, timed, bounded, and killed with its whole process group on timeout. */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

export interface TimedRun {
  wallMs: number;
  exitCode: number | null;
  timedOut: boolean;
  /** The last part of the output (for the summary line and for errors). */
  tail: string;
}

const TAIL_CHARS = 4_000;

export function runTimed(command: string, args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Its own process group, so a timeout can end the command's children too (npm → vitest → workers).
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let tail = "";
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString("utf8")).slice(-TAIL_CHARS);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }
    }, options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ wallMs: performance.now() - started, exitCode: code, timedOut, tail });
    });
  });
}
