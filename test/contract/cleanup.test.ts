/**
 * The fixture and clean-up logic of stateful runs (the same code a live-tenant run uses), exercised against an
 * emulator reached by --base-url: the tenant looks exactly as it did before a run, after a normal run, after a
 * run stopped with SIGINT, and after a run killed outright followed by `contract --cleanup`.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/contract/cli.js";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { PROJECT_ROOT } from "../helpers/project.js";
import { sharedBuild } from "../helpers/shared-build.js";
import { collectLog, startTestEmulator, tenantState } from "./helpers.js";

let contractBin: string;
beforeAll(async () => {
  contractBin = path.join(await sharedBuild(), "contract", "bin.js");
}, 300_000);

/**
 * Starts the contract command (the run's shared build of `auth0-contract`, the code `npm run contract` runs too)
 * against the emulator and resolves once transactions are running; Node runs it directly, so the PID signalled is
 * the contract run's own.
 */
function startRun(emulator: RunningEmulator, token: string, journal: string) {
  const child = spawn(process.execPath, [contractBin, "--base-url", emulator.baseUrl, "--token", token, "--journal", journal], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const running = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the run did not start within 30 s:\n${output}`)), 30_000);
    // A few transactions in: the fixtures exist and transactions have created more.
    const check = () => {
      if ((output.match(/^ {2}[✓✗-] /gm) ?? []).length >= 12) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the run ended before it was interrupted:\n${output}`));
    });
  });
  return { child, running, exited, output: () => output };
}

describe("contract fixtures and clean-up on a stateful server", () => {
  let emulator: RunningEmulator;
  let token: string;
  let dir: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    token = await emulator.issueToken();
    dir = await mkdtemp(path.join(tmpdir(), "contract-cleanup-"));
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("leaves the tenant as it found it after a normal run", async () => {
    const before = await tenantState(emulator);
    const output = collectLog();
    const journal = path.join(dir, "normal.json");
    const code = await main(["--base-url", emulator.baseUrl, "--token", token, "--journal", journal], {}, { out: output.log, err: output.log });
    expect(code, output.text()).toBe(0);
    expect(output.text()).toContain("against an emulator");
    expect(await tenantState(emulator)).toEqual(before);
    expect(existsSync(journal)).toBe(false);
  });

  it("cleans up when interrupted with SIGINT", async () => {
    const before = await tenantState(emulator);
    const journal = path.join(dir, "sigint.json");
    const run = startRun(emulator, token, journal);
    await run.running;
    run.child.kill("SIGINT");
    const { code } = await run.exited;
    expect(code, run.output()).toBe(130);
    expect(run.output()).toContain("Interrupted: removing the run's resources");
    expect(await tenantState(emulator)).toEqual(before);
    expect(existsSync(journal)).toBe(false);
  });

  it("removes the leftovers of a killed run with --cleanup", async () => {
    const before = await tenantState(emulator);
    const journal = path.join(dir, "killed.json");
    const run = startRun(emulator, token, journal);
    await run.running;
    run.child.kill("SIGKILL");
    await run.exited;

    const leftovers = JSON.parse(await readFile(journal, "utf8")) as { runs: Record<string, { created: unknown[] }> };
    const created = Object.values(leftovers.runs).flatMap((r) => r.created);
    expect(created.length).toBeGreaterThanOrEqual(3);
    expect(await tenantState(emulator)).not.toEqual(before);

    const output = collectLog();
    const code = await main(["--cleanup", "--base-url", emulator.baseUrl, "--token", token, "--journal", journal], {}, { out: output.log, err: output.log });
    expect(code, output.text()).toBe(0);
    expect(output.text()).toMatch(new RegExp(`Removed ${created.length} leftover resource\\(s\\) of 1 interrupted run`));
    expect(await tenantState(emulator)).toEqual(before);
    expect(existsSync(journal)).toBe(false);
  });
});
