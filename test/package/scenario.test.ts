/**
 * Issue 21's "done when": the user's 18 tests — onboarding code on the typed client and on the official SDK v7,
 * with their 429 and 503 paths — rewritten with aimed faults and `auth0-emulator exec`, in a real project outside
 * this repository that installed the packed tarballs from a `vendor/` folder (relative `file:` paths, as docs/install.md
 * tells a team without a registry). The suite is four files run in parallel against one emulator, a tenant each.
 * Also there: the vitest globalSetup recipe, `--seed example`, `auth0-contract docs`, `npm ci` of the vendored
 * project elsewhere, and `npx auth0-emulator & kill $!`. The run's times are printed, not asserted
 * (BENCHMARKS.md records them).
 */
import { spawn } from "node:child_process";
import { copyFile, cp, mkdir, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { NPM, PROJECT_ROOT, run } from "../helpers/project.js";
import { oncePerRun } from "../helpers/shared-build.js";
import { STRICT_TSCONFIG } from "./consumer.js";
import { npmInstall, packedPackages } from "./packed.js";

const SCENARIO = path.join(PROJECT_ROOT, "test/package/scenario");
const TOOLS = ["auth0@7.1.0", "vitest@~4.1.12", "typescript@~5.9.3", "@types/node@^20.19.43", "@redocly/cli@~2.77.0"];
/** Where each file of the scenario goes in the project. */
const FILES: Record<string, string> = {
  "seed.json.txt": "seed.json",
  "onboarding.ts.txt": "src/onboarding.ts",
  "tenant.ts.txt": "test/tenant.ts",
  "global-setup.ts.txt": "test/global-setup.ts",
  "client-onboarding.test.ts.txt": "test/client-onboarding.test.ts",
  "client-faults.test.ts.txt": "test/client-faults.test.ts",
  "sdk-onboarding.test.ts.txt": "test/sdk-onboarding.test.ts",
  "sdk-faults.test.ts.txt": "test/sdk-faults.test.ts",
};

async function makeProject(workDir: string): Promise<undefined> {
  const project = path.join(workDir, "onboarding-app");
  await mkdir(path.join(project, "vendor"), { recursive: true });
  for (const { tarball } of await packedPackages()) await copyFile(tarball, path.join(project, "vendor", path.basename(tarball)));
  for (const [from, to] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(project, to)), { recursive: true });
    await copyFile(path.join(SCENARIO, from), path.join(project, to));
  }
  await writeFile(
    path.join(project, "package.json"),
    JSON.stringify({ name: "onboarding-app", private: true, type: "module", scripts: { test: "auth0-emulator exec --seed seed.json -- vitest run" } }, null, 2),
  );
  await writeFile(
    path.join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { ...STRICT_TSCONFIG.compilerOptions, types: ["node"], noEmit: true }, include: ["src", "test"] }, null, 2),
  );
  await writeFile(
    path.join(project, "vitest.global.config.ts"),
    `import { defineConfig } from "vitest/config";\nexport default defineConfig({ test: { globalSetup: ["test/global-setup.ts"] } });\n`,
  );
  const vendored = (await packedPackages()).map(({ tarball }) => `./vendor/${path.basename(tarball)}`);
  await npmInstall(project, [...vendored, ...TOOLS]);
  return undefined;
}

let project = "";
beforeAll(async () => {
  project = path.join(await oncePerRun("onboarding-app", makeProject), "onboarding-app");
}, 600_000);

/** Each test runs npm, tsc or a whole vitest run: minutes on a machine shared with other test runs. */
const SLOW = 300_000;
const npx = (args: string[], timeoutMs = 240_000) => run(NPM, ["exec", "--no", "--", ...args], { cwd: project, timeoutMs });

describe("the user's onboarding tests, from vendored tarballs", () => {
  it(
    "keeps relative file: paths to vendor/ in package.json, and type-checks (list answers typed by what was asked)",
    async () => {
      const manifest = JSON.parse(await readFile(path.join(project, "package.json"), "utf8")) as { dependencies: Record<string, string> };
      expect(manifest.dependencies["@auth0-org-connections/client"]).toMatch(/^file:vendor\/auth0-org-connections-client-[\d.]+\.tgz$/);
      const checked = await npx(["tsc", "-p", "."]);
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    },
    SLOW,
  );

  it(
    "npm test (auth0-emulator exec -- vitest run): 18 tests in four files, a tenant each, in parallel against one emulator",
    async () => {
      const started = performance.now();
      const result = await run(NPM, ["test"], { cwd: project, timeoutMs: 240_000 });
      const wallMs = performance.now() - started;
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Test Files\s+4 passed \(4\)/);
      expect(result.stdout).toMatch(/Tests\s+18 passed \(18\)/);
      // The whole line: vitest's wall time with its parts (transform, import, tests), for the note on where time goes.
      const duration = /Duration\s+(.+)/.exec(result.stdout)?.[1];
      const testsTime = /tests ([\d.]+m?s)/.exec(result.stdout)?.[1];
      console.log(`onboarding suite: npm test ${Math.round(wallMs)} ms wall (emulator start, vitest, stop); vitest Duration ${duration}, tests ${testsTime}`);
    },
    SLOW,
  );

  it(
    "runs the same files with the vitest globalSetup recipe instead of exec",
    async () => {
      const result = await npx(["vitest", "run", "--config", "vitest.global.config.ts"]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Tests\s+18 passed \(18\)/);
    },
    SLOW,
  );

  it(
    "serves the example seed that ships in the package (--seed example)",
    async () => {
      const script = `const r = await fetch(process.env.AUTH0_EMULATOR_URL + "/api/v2/organizations", { headers: { authorization: "Bearer " + process.env.AUTH0_TOKEN } }); console.log("organizations=" + (await r.json()).length);`;
      const result = await npx(["auth0-emulator", "exec", "--seed", "example", "--", process.execPath, "--input-type=module", "-e", script]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/organizations=[1-9]/);
    },
    SLOW,
  );

  it(
    "builds the API reference from the installed packages (auth0-contract docs)",
    async () => {
      const result = await npx(["auth0-contract", "docs", "--out", "site/index.html"]);
      expect(result.code, result.stderr).toBe(0);
      expect((await stat(path.join(project, "site/index.html"))).size).toBeGreaterThan(100_000);
    },
    SLOW,
  );

  it(
    "installs with npm ci from a copy elsewhere (what CI does with the vendored tarballs)",
    async () => {
      const copy = await mkdtemp(path.join(tmpdir(), "onboarding-ci-"));
      for (const entry of ["package.json", "package-lock.json", "vendor"]) await cp(path.join(project, entry), path.join(copy, entry), { recursive: true });
      const installed = await run(NPM, ["ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: copy, timeoutMs: 300_000 });
      expect(installed.code, installed.stderr).toBe(0);
      expect((await stat(path.join(copy, "node_modules/@auth0-org-connections/emulator/package.json"))).isFile()).toBe(true);
    },
    SLOW,
  );

  it(
    "npx auth0-emulator & kill $!: the emulator stops with npx (a real process group)",
    async () => {
      const group = spawn("bash", ["-c", `npx auth0-emulator --port 0 --print-env & echo "npx=$!"; wait`], {
        cwd: project,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      group.stdout.on("data", (chunk) => (stdout += String(chunk)));
      try {
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && !/AUTH0_EMULATOR_URL=/.test(stdout)) await new Promise((resolve) => setTimeout(resolve, 50));
        const url = /AUTH0_EMULATOR_URL=(\S+)/.exec(stdout)?.[1];
        expect(url, stdout).toBeDefined();
        process.kill(Number(/npx=(\d+)/.exec(stdout)?.[1]), "SIGTERM");
        let answering = true;
        for (let i = 0; i < 100 && answering; i += 1) {
          answering = await fetch(`${url}/__emulator/ready`, { signal: AbortSignal.timeout(500) }).then(
            () => true,
            () => false,
          );
          if (answering) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(answering).toBe(false);
      } finally {
        try {
          process.kill(-group.pid!, "SIGKILL");
        } catch {
          // gone already
        }
      }
    },
    SLOW,
  );
});
