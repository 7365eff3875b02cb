/**
 * Stops the emulator when whoever started it goes away. `npx auth0-emulator &` then `kill $!` signals npm, which
 * does not pass the signal on: the emulator would be left running (re-parented to pid 1) and keep its port. So the
 * command notes its chain of ancestors at start-up — its parent, and the parent's parents up to the session leader
 * (the login shell or the terminal's, which outlives any one command) — and checks twice a second that each one is
 * still there with the same parent. When one is gone, the emulator shuts down as on SIGTERM.
 *
 * On Linux the chain is read from /proc; elsewhere only the direct parent is watched (`process.ppid` changes when it
 * dies). `--no-exit-with-parent` turns this off, for an emulator that must outlive the step that started it.
 */
import { readFileSync } from "node:fs";

const POLL_MS = 500;
/** A chain longer than this is not followed further (a guard, not a limit anyone meets). */
const MAX_ANCESTORS = 16;

interface ProcessLink {
  pid: number;
  ppid: number;
}

/** pid, parent pid and session id of a process from /proc (Linux), or undefined when it is gone or unreadable. */
function procStat(pid: number): { ppid: number; session: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), session: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

/** This process's ancestors, nearest first, each with its parent: up to (not including) the session leader or pid 1. */
function ancestorChain(): ProcessLink[] {
  const chain: ProcessLink[] = [];
  let pid = process.ppid;
  while (pid > 1 && chain.length < MAX_ANCESTORS) {
    const stat = procStat(pid);
    if (!stat) break;
    // The session leader (the shell of a terminal or a CI job) is where the chain of launchers ends.
    if (stat.session === pid && chain.length > 0) break;
    chain.push({ pid, ppid: stat.ppid });
    pid = stat.ppid;
  }
  return chain;
}

/** Calls `onGone` once when a process that launched this one has exited. Returns a function that stops watching. */
export function watchParent(onGone: () => void): () => void {
  const parent = process.ppid;
  // Started by pid 1 (an init system, a container's entry point): nothing to watch.
  if (parent <= 1) return () => {};
  const chain = process.platform === "linux" ? ancestorChain() : [];
  const intact = () => process.ppid === parent && chain.every(({ pid, ppid }) => procStat(pid)?.ppid === ppid);
  const timer = setInterval(() => {
    if (intact()) return;
    clearInterval(timer);
    onGone();
  }, POLL_MS);
  // The watch alone must not keep the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
