/** Starts a project script (`scripts/*.ts`) the way `npm run` does, and waits on its output with bounded timeouts. */
import { spawn, type ChildProcess } from "node:child_process";
import { PROJECT_ROOT } from "../helpers/project.js";

export interface RunningCommand {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr; rejects after `timeoutMs` or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal), or "timeout". */
  waitForExit(timeoutMs: number): Promise<number | NodeJS.Signals | "timeout">;
}

export function startScript(script: string, args: string[]): RunningCommand {
  return startCommand(process.execPath, ["--import", "tsx", script, ...args], PROJECT_ROOT, script);
}

/** Starts any command (an installed bin, say) with piped output; `label` names it in errors. */
export function startCommand(command: string, args: string[], cwd: string, label = command): RunningCommand {
  const child = spawn(command, args, {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (child.pid === undefined) throw new Error(`could not start ${label}`);
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  let exit: number | NodeJS.Signals | undefined;
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = code ?? signal ?? 1;
      for (const listener of listeners) listener();
      resolve(exit);
    }),
  );

  return {
    child,
    pid: child.pid,
    output: () => output,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) return finish(() => resolve(match));
          if (exit !== undefined) finish(() => reject(new Error(`${label} exited (${String(exit)}) before printing ${pattern}:\n${output}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}:\n${output}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async waitForExit(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
      const result = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      return result;
    },
  };
}

/** True while a process with this PID exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills a process by PID if it is still there (a safety net for afterAll). */
export function killIfAlive(pid: number | undefined): void {
  if (pid !== undefined && isAlive(pid)) process.kill(pid, "SIGKILL");
}

export { freePort } from "../../src/shared/ports.js";
