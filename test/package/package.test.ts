/**
 * What a user does: pack the package, install the tarball into a fresh project, compile a program against it
 * with tsc and run it. Proves the exports map, the declarations, `files` (the generated spec the emulator reads
 * at run time) and the ESM build work together outside this repository.
 */
import { readFileSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOperations } from "../../src/shared/spec.js";
import { PROJECT_ROOT, run } from "../helpers/project.js";
import { sharedBuild } from "../helpers/shared-build.js";
import { freePort, killIfAlive, startCommand, type RunningCommand } from "../mock/command.js";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
let workDir = "";
let tarball = "";
let consumerDir = "";

const TYPESCRIPT = "typescript@~5.9.3";
const MANIFEST = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { peerDependencies: Record<string, string>; scripts: Record<string, string> };
// auth0-mock runs Prism, an optional peer dependency: a user who wants the mock installs it beside the package.
const PRISM = `@stoplight/prism-cli@${MANIFEST.peerDependencies["@stoplight/prism-cli"]}`;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "aoct-package-"));
  // What `npm pack` does on its own: its prepack script (`npm run build`, checked below) builds dist/ from scratch.
  // The run's shared build already ran that very script, so the pack skips it instead of building a second time.
  expect(MANIFEST.scripts.prepack).toBe("npm run build");
  await sharedBuild();
  const packed = await run(NPM, ["pack", "--json", "--ignore-scripts", "--pack-destination", workDir], { timeoutMs: 240_000 });
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(workDir, info?.filename ?? "");
  packedFiles = info?.files.map((f) => f.path) ?? [];

  consumerDir = path.join(workDir, "consumer");
  await run("mkdir", ["-p", consumerDir]);
  await writeFile(path.join(consumerDir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  await writeFile(
    path.join(consumerDir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2023", "DOM", "DOM.Iterable"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          // Check the shipped declarations too (and what they import), as a strict consumer would.
          skipLibCheck: false,
          types: [],
          outDir: "out",
        },
        files: ["main.ts"],
      },
      null,
      2,
    ),
  );
  await copyFile(path.join(PROJECT_ROOT, "test/package/consumer/main.ts.txt"), path.join(consumerDir, "main.ts"));
  // Prefer the local npm cache: the dependencies are the ones this repository already installed.
  const installed = await run(NPM, ["install", tarball, TYPESCRIPT, PRISM, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: consumerDir,
    timeoutMs: 240_000,
  });
  if (installed.code !== 0) throw new Error(`npm install of the tarball failed:\n${installed.stderr}`);
}, 600_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

let packedFiles: string[] = [];

describe("the packed package", () => {
  it("ships the build, the declarations and the generated spec, and nothing else", () => {
    expect(packedFiles).toContain("dist/index.js");
    expect(packedFiles).toContain("dist/index.d.ts");
    expect(packedFiles).toContain("dist/types.d.ts");
    expect(packedFiles).toContain("dist/emulator/index.js");
    expect(packedFiles).toContain("generated/schema.d.ts");
    expect(packedFiles).toContain("generated/openapi.json");
    expect(packedFiles).toContain("generated/openapi.dereferenced.json");
    expect(packedFiles).toContain("dist/contract/bin.js");
    expect(packedFiles).toContain("dist/contract/dredd-hooks.cjs");
    const unexpected = packedFiles.filter((f) => !/^(dist\/.+\.(js|cjs|d\.ts)|generated\/.+|package\.json|README\.md|LICENSE)$/.test(f));
    expect(unexpected).toEqual([]);
    // The mock ships (auth0-mock, auth0-contract --target prism); the spec's and docs' own tooling stays out.
    expect(packedFiles.filter((f) => f.startsWith("dist/mock/")).sort()).toEqual(
      ["bin.d.ts", "bin.js", "command.d.ts", "command.js", "prism.d.ts", "prism.js"].map((f) => `dist/mock/${f}`),
    );
    expect(packedFiles.filter((f) => /^dist\/(docs|spec-tools|harness)\//.test(f))).toEqual([]);
    expect(packedFiles).toContain("dist/emulator/bin.js");
  });

  it("declares an ESM exports map for the client, the types and the emulator, free of side effects", async () => {
    const manifest = JSON.parse(await readFile(path.join(consumerDir, "node_modules/auth0-org-connections-toolkit/package.json"), "utf8")) as Record<string, unknown>;
    expect(manifest.type).toBe("module");
    expect(manifest.sideEffects).toBe(false);
    expect(Object.keys(manifest.exports as object)).toEqual([".", "./types", "./emulator", "./contract", "./package.json"]);
  });

  it("installs the auth0-contract command, which checks the embedded emulator against the contract", async () => {
    const ran = await run(path.join(consumerDir, "node_modules/.bin/auth0-contract"), [], { cwd: consumerDir, timeoutMs: 120_000 });
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/\d+ transactions: \d+ ran, \d+ passed, 0 failed/);
    const usage = await run(path.join(consumerDir, "node_modules/.bin/auth0-contract"), ["--target", "nowhere"], { cwd: consumerDir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown --target 'nowhere'");
  });

  it("type-checks a consumer program with tsc, then runs it through every operation", async () => {
    const compiled = await run(path.join(consumerDir, "node_modules/.bin/tsc"), ["-p", "."], { cwd: consumerDir, timeoutMs: 120_000 });
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.code).toBe(0);

    const ran = await run(process.execPath, ["out/main.js"], { cwd: consumerDir, timeoutMs: 60_000 });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    const report = JSON.parse(ran.stdout) as { operations: string[]; total: number; walked: number; errorCode: string | null; rateLimit: boolean; wrongLevel: string };
    const everyOperation = listOperations().map((op) => `${op.method.toUpperCase()} ${op.pathTemplate}`).sort();
    expect(report.operations).toEqual(everyOperation);
    // Both families list the same links: one added through each.
    expect(report).toMatchObject({ total: 2, walked: 2, errorCode: null, rateLimit: true });
  });

  it("fails to compile a consumer that misuses the API (the types are real, not any)", async () => {
    await writeFile(
      path.join(consumerDir, "bad.ts"),
      [
        'import { createManagementClient } from "auth0-org-connections-toolkit";',
        'const client = createManagementClient({ domain: "acme.auth0.com", token: "t" });',
        'void client.POST("/organizations/{id}/connections", { params: { path: { id: "org_1" } }, body: { connection_id: "c", is_enabld: true } });',
        'void client.GET("/organizations/{id}", { params: { path: { organization: "org_1" } } });',
      ].join("\n"),
    );
    await writeFile(path.join(consumerDir, "tsconfig.bad.json"), JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noEmit: true }, files: ["bad.ts"] }));
    const compiled = await run(path.join(consumerDir, "node_modules/.bin/tsc"), ["-p", "tsconfig.bad.json"], { cwd: consumerDir, timeoutMs: 120_000 });
    expect(compiled.code).not.toBe(0);
    expect(compiled.stdout).toMatch(/bad\.ts\(3,\d+\): error TS2322: Type 'true' is not assignable to type 'never'/);
    expect(compiled.stdout).toMatch(/bad\.ts\(4,\d+\): error/);
  });
});

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

  it("auth0-mock without Prism installed says how to install it, and exits 1", async () => {
    // The package alone (the mock's code needs nothing but Node), in a project that did not add the optional peer.
    const alone = path.join(workDir, "without-prism", "node_modules", "auth0-org-connections-toolkit");
    await cp(path.join(consumerDir, "node_modules", "auth0-org-connections-toolkit"), alone, { recursive: true });
    const ran = await run(process.execPath, [path.join(alone, "dist", "mock", "bin.js"), "--port", String(await freePort())], { cwd: path.dirname(path.dirname(alone)) });
    expect(ran.code).toBe(1);
    expect(ran.stderr.trim()).toBe(`auth0-mock: Prism is not installed; the mock runs it: npm install --save-dev "${PRISM}"`);
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
