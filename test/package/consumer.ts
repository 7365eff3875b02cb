/**
 * What a user does before anything else: pack the package and install the tarball (with TypeScript and the
 * optional Prism peer) into a fresh project. Done once per test run and shared by the package test files
 * (package.test.ts, commands.test.ts), which vitest runs in parallel workers.
 */
import { readFileSync } from "node:fs";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT, run } from "../helpers/project.js";
import { oncePerRun, sharedBuild } from "../helpers/shared-build.js";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const TYPESCRIPT = "typescript@~5.9.3";
export const MANIFEST = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { peerDependencies: Record<string, string>; scripts: Record<string, string> };
// auth0-mock runs Prism, an optional peer dependency: a user who wants the mock installs it beside the package.
export const PRISM = `@stoplight/prism-cli@${MANIFEST.peerDependencies["@stoplight/prism-cli"]}`;

export interface InstalledConsumer {
  /** A folder of the test run's own for anything else a test needs to write. */
  workDir: string;
  /** The project the tarball is installed in. */
  consumerDir: string;
  /** The files `npm pack` put in the tarball. */
  packedFiles: string[];
}

async function packAndInstall(workDir: string): Promise<undefined> {
  // `npm pack` alone would run the prepack script (`npm run build`, pinned by package.test.ts) to build dist/
  // from scratch; the run's shared build already ran that very script, so the pack skips it.
  await sharedBuild();
  const packed = await run(NPM, ["pack", "--json", "--ignore-scripts", "--pack-destination", workDir], { timeoutMs: 240_000 });
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const tarball = path.join(workDir, info?.filename ?? "");
  await writeFile(path.join(workDir, "packed-files.json"), JSON.stringify(info?.files.map((f) => f.path) ?? []));

  const consumerDir = path.join(workDir, "consumer");
  await mkdir(consumerDir, { recursive: true });
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
  return undefined;
}

/** The packed package installed in a fresh project, once per test run. */
export async function installedConsumer(): Promise<InstalledConsumer> {
  const workDir = await oncePerRun("package-consumer", packAndInstall);
  const packedFiles = JSON.parse(await readFile(path.join(workDir, "packed-files.json"), "utf8")) as string[];
  return { workDir, consumerDir: path.join(workDir, "consumer"), packedFiles };
}
