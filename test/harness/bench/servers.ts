/**
 * The servers under test, each in a process of its own: the emulator, a bare `node:http` server, and Prism (which
 * `startMock` runs as a child anyway). Every one is asked for its resident memory the same way where it can be:
 * our own children report `process.memoryUsage()`, Prism is read from `/proc/<pid>/status`.
 */
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { EmulatorOptions } from "../../../src/emulator/index.js";
import { isPortFree, startMock } from "../../../src/mock/prism.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = path.resolve(HERE, "../../..");
const CHILD_ENTRY = path.join(HERE, "server-process.ts");
const START_TIMEOUT_MS = 30_000;

export type ServerSpec = { kind: "emulator"; options: EmulatorOptions } | { kind: "bare"; body: string };

export interface BenchServer {
  name: string;
  /** Where the API's paths start: `http://127.0.0.1:port/api/v2` for the emulator, the origin for the others. */
  baseUrl: string;
  /** A token the server accepts. */
  token: string;
  pid: number;
  /** Resident set size of the server process, in bytes. */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

export interface ChildOptions {
  /** Extra Node flags for the child, e.g. `--cpu-prof`. */
  execArgv?: string[];
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string; message?: string }) => {
      if (message.type === type) {
        cleanup();
        resolve(message as T);
      } else if (message.type === "failed") {
        cleanup();
        reject(new Error(message.message));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the server process exited (${String(code)}) before answering`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

function stopChild(child: ChildProcess, timeoutMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    // SIGINT rather than SIGTERM lets `--cpu-prof` write its profile on the way out.
    child.kill("SIGINT");
  });
}

/** Starts the emulator or the bare server in a child process (run through tsx, like the npm scripts). */
export async function startChildServer(name: string, spec: ServerSpec, options: ChildOptions = {}): Promise<BenchServer> {
  const child = fork(CHILD_ENTRY, [], {
    cwd: PROJECT_ROOT,
    execArgv: ["--import", "tsx", ...(options.execArgv ?? [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  if (child.pid === undefined) throw new Error(`could not start the ${name} process`);
  const pid = child.pid;
  try {
    const ready = nextMessage<{ url: string; token?: string }>(child, "ready");
    child.send({ type: "start", spec });
    const { url, token } = await withTimeout(ready, START_TIMEOUT_MS, `the ${name} process`);
    return {
      name,
      baseUrl: spec.kind === "emulator" ? `${url}/api/v2` : url,
      token: token ?? "bench-token",
      pid,
      async rss() {
        // The same measure as for Prism where the platform has it; the child's own figure elsewhere.
        const fromProc = rssOfPid(pid);
        if (Number.isFinite(fromProc)) return fromProc;
        const answer = nextMessage<{ rss: number }>(child, "memory");
        child.send({ type: "memory" });
        return (await withTimeout(answer, 5_000, `the ${name} process`)).rss;
      },
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** CPU time (user + system) a process has used so far, in ms, on Linux; NaN elsewhere. */
export function cpuTimeOfPid(pid: number): number {
  try {
    // Fields after the command name: state is the 1st, utime the 12th, stime the 13th (in clock ticks, 100 per second).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** VmRSS of any process on Linux; NaN elsewhere. */
export function rssOfPid(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function freeLoopbackPort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port += 1) if (await isPortFree(port)) return port;
  throw new Error(`no free loopback port from ${from}`);
}

/** Prism on the bundled spec, through the project's own `startMock`. */
export async function startPrism(): Promise<BenchServer> {
  const port = await freeLoopbackPort(4_610);
  const mock = await startMock({ port });
  return {
    name: "Prism",
    baseUrl: mock.url,
    token: "bench-token",
    pid: mock.pid,
    rss: async () => rssOfPid(mock.pid),
    stop: () => mock.stop(),
  };
}
