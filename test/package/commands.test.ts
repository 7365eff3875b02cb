/**
 * The commands as a project that installed every package runs them (consumer.ts): `auth0-emulator`,
 * `auth0-contract` against it and against an emulator of its own, and `auth0-mock`, all from the built
 * JavaScript; and the contract package installed alone, without Prism.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, run } from "../helpers/project.js";
import { oncePerRun } from "../helpers/shared-build.js";
import { listOperations } from "../../src/shared/spec.js";
import { freePort, killIfAlive, startCommand, type RunningCommand } from "../mock/command.js";
import { installedConsumer } from "./consumer.js";
import { npmInstall, packedPackage } from "./packed.js";

let consumerDir = "";

beforeAll(async () => {
  ({ consumerDir } = await installedConsumer());
}, 600_000);

describe("the installed commands, run from built JavaScript", () => {
  const bin = (name: string) => path.join(consumerDir, "node_modules", ".bin", name);
  let emulator: RunningCommand | undefined;
  let emulatorUrl = "";
  let token = "";
  let mock: RunningCommand | undefined;

  afterAll(() => {
    killIfAlive(emulator?.pid);
    killIfAlive(mock?.pid);
  });

  it("auth0-emulator starts and answers requests (time to the first answer is printed, not asserted)", async () => {
    const port = await freePort();
    const started = performance.now();
    emulator = startCommand(bin("auth0-emulator"), ["--port", String(port)], consumerDir, "auth0-emulator");
    emulatorUrl = `http://127.0.0.1:${port}`;
    // Poll from the moment of starting: the figure is what a user waits before the first request succeeds.
    let answered: Response | undefined;
    for (let attempt = 0; attempt < 200 && !answered; attempt++) {
      answered = await fetch(`${emulatorUrl}/__emulator/state`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const firstAnswerMs = performance.now() - started;
    expect(answered?.status).toBe(200);
    console.log(`auth0-emulator: first answered request ${firstAnswerMs.toFixed(0)} ms after start`);
    const ready = await emulator.waitFor(/Token \(every scope, valid 24 h\):\n(\S+)/, 10_000);
    token = ready[1]!;
    const organizations = await fetch(`${emulatorUrl}/api/v2/organizations/org_missing`, { headers: { authorization: `Bearer ${token}` } });
    expect(organizations.status).toBe(404);
  });

  it("auth0-contract checks that running emulator and passes", async () => {
    const ran = await run(bin("auth0-contract"), ["--base-url", `${emulatorUrl}/api/v2`, "--token", token], { cwd: consumerDir, timeoutMs: 180_000 });
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/\d+ transactions: \d+ ran, \d+ passed, 0 failed/);
  });

  it("auth0-emulator stops on SIGTERM, and reports a usage error with its own name and exit code 2", async () => {
    emulator!.child.kill("SIGTERM");
    expect(await emulator!.waitForExit(10_000)).toBe(0);
    const usage = await run(bin("auth0-emulator"), ["--port", "http"], { cwd: consumerDir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^auth0-emulator: --port must be a whole number/);
    expect(usage.stderr).toContain("Usage: auth0-emulator [options]");
  });

  it("auth0-contract with no target checks an emulator of its own and passes", async () => {
    const ran = await run(bin("auth0-contract"), [], { cwd: consumerDir, timeoutMs: 180_000 });
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/\d+ transactions: \d+ ran, \d+ passed, 0 failed/);
    const usage = await run(bin("auth0-contract"), ["--target", "nowhere"], { cwd: consumerDir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown --target 'nowhere'");
  });

  it("auth0-mock serves the adjusted spec with Prism", async () => {
    const port = await freePort();
    mock = startCommand(bin("auth0-mock"), ["--port", String(port)], consumerDir, "auth0-mock");
    const ready = await mock.waitFor(/ready at (http:\/\/127\.0\.0\.1:\d+) \(pid (\d+)\)/, 60_000);
    const headers = { authorization: "Bearer any", prefer: "code=429" };
    const limited = await fetch(`${ready[1]}/organizations/org_W2nJ4xPq7sKd9VbT`, { headers, signal: AbortSignal.timeout(10_000) });
    // Plain Prism would answer with the shared schema's 404 example; the adjusted copy gives the 429 example.
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { statusCode: number }).statusCode).toBe(429);
    mock.child.kill("SIGTERM");
    expect(await mock.waitForExit(15_000)).toBe(0);
    killIfAlive(Number(ready[2]));
  });
});

describe("the contract package installed alone", () => {
  it("runs, and asked to check Prism without Prism installed, says how to install it and exits 1", async () => {
    const contract = await packedPackage("@auth0-org-connections/contract");
    const projectDir = path.join(
      await oncePerRun("contract-alone", async (folder) => {
        await mkdir(path.join(folder, "project"));
        await writeFile(path.join(folder, "project", "package.json"), JSON.stringify({ name: "contract-alone", private: true, type: "module" }));
        await npmInstall(path.join(folder, "project"), [contract.tarball], ["--omit=dev", "--omit=peer"]);
        return undefined;
      }),
      "project",
    );
    const command = path.join(projectDir, "node_modules", ".bin", "auth0-contract");
    const help = await run(command, ["--help"], { cwd: projectDir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("auth0-contract");
    // official-diff ships with its decisions: the stored copy of Auth0's document gives nothing new.
    const fixture = path.join(PROJECT_ROOT, "test", "fixtures", "official-document", "management-api-oas.json");
    const officialDiff = await run(command, ["official-diff", fixture], { cwd: projectDir, timeoutMs: 60_000 });
    expect(officialDiff.stdout + officialDiff.stderr).toContain(`Nothing new: all ${listOperations().length} operations`);
    expect(officialDiff.code).toBe(0);
    const range = contract.manifest.peerDependencies!["@stoplight/prism-cli"];
    const ran = await run(command, ["--target", "prism"], { cwd: projectDir, timeoutMs: 60_000 });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`Prism is not installed; the mock runs it: npm install --save-dev "@stoplight/prism-cli@${range}"`);
    // Installing the package (Dredd and its dependencies) is part of this test: on a busy machine it takes most of a minute.
  }, 240_000);
});
