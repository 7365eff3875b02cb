/**
 * The mock is ready only when Prism itself answers (issue 20). Prism takes seconds to load, and its port is in
 * every user's view (`/proc/<pid>/cmdline`): another process that binds the port first must not be taken for the
 * mock — `npm run mock` must not print "ready", and nothing (least of all a request with a bearer token) goes to
 * the impostor as if it were Prism. And a contract run against Prism notices when its Prism exits.
 */
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { runContract } from "../../src/contract/run.js";
import { freePort, killIfAlive, startScript } from "./command.js";

const impostors: Server[] = [];
afterEach(async () => {
  for (const server of impostors.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** Binds the port as soon as it is free again (right after the mock checked it), and records what reaches it. */
async function impostorOn(port: number, seen: string[]): Promise<Server> {
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ""}`);
    response.writeHead(200, { "content-type": "application/json" }).end("[]");
  });
  impostors.push(server);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const bound = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (bound) return server;
    if (Date.now() > deadline) throw new Error(`the port ${port} never came free`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The direct child processes of a process whose command line mentions `word`. */
function childPids(word: string, parent = process.pid): number[] {
  let lines: string[];
  try {
    lines = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(parent)], { encoding: "utf8" })
      .trim()
      .split("\n");
  } catch {
    return []; // ps exits 1 when there is no such process
  }
  return lines.filter((line) => line.includes(word)).map((line) => Number(line.trim().split(/\s+/)[0]));
}

describe("the mock's readiness", () => {
  it("is not fooled by a process that takes the port while Prism loads (npm run mock fails, prints no ready line)", async () => {
    const port = await freePort();
    const seen: string[] = [];
    const mock = startScript("scripts/mock.ts", ["--port", String(port)]);
    try {
      // Once Prism is spawned the mock has found the port free; Prism then loads for seconds before it binds.
      const deadline = Date.now() + 20_000;
      while (childPids("prism", mock.pid).length === 0) {
        if (Date.now() > deadline) throw new Error(`Prism was never started:\n${mock.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await impostorOn(port, seen);
      const exit = await mock.waitForExit(30_000);
      expect(exit, mock.output()).toBe(1);
      expect(mock.output()).not.toMatch(/Prism mock ready/);
      expect(mock.output()).toMatch(/Prism exited .* before it was ready|not Prism/);
      expect(seen.filter((line) => /Bearer/.test(line))).toEqual([]);
    } finally {
      killIfAlive(mock.pid);
    }
  }, 60_000);
});

describe("a contract run against Prism", () => {
  it("notices when its Prism exits during the run, and fails saying so", async () => {
    const lines: string[] = [];
    let killed = false;
    const run = runContract({
      target: "prism",
      log: (line) => {
        lines.push(line);
        if (!killed && lines.filter((l) => /^\s*[✓✗]/.test(l)).length >= 10) {
          killed = true;
          for (const pid of childPids("prism")) process.kill(pid, "SIGKILL");
        }
      },
    });
    await expect(run).rejects.toThrow(/Prism exited \(SIGKILL\) during the run/);
    expect(killed).toBe(true);
  }, 120_000);
});
