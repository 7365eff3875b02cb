/**
 * What a user of the whole toolkit does before anything else: install every package's tarball together (with
 * TypeScript) into a fresh project outside this repository. Done once per test run and shared by the test files
 * that use it (package.test.ts, commands.test.ts), which vitest runs in parallel workers.
 */
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT } from "../helpers/project.js";
import { oncePerRun } from "../helpers/shared-build.js";
import { npmInstall, packedPackages } from "./packed.js";

const TYPESCRIPT = "typescript@~5.9.3";

/** The compiler settings of a strict consumer, which also checks the shipped declarations (and what they import). */
export const STRICT_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023", "DOM", "DOM.Iterable"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: false,
    types: [],
    outDir: "out",
  },
  files: ["main.ts"],
};

export interface InstalledConsumer {
  /** A folder of the test run's own for anything else a test needs to write. */
  workDir: string;
  /** The project the tarballs are installed in. */
  consumerDir: string;
}

async function installTogether(workDir: string): Promise<undefined> {
  const tarballs = (await packedPackages()).map((p) => p.tarball);
  const consumerDir = path.join(workDir, "consumer");
  await mkdir(consumerDir, { recursive: true });
  await writeFile(path.join(consumerDir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  await writeFile(path.join(consumerDir, "tsconfig.json"), JSON.stringify(STRICT_TSCONFIG, null, 2));
  await copyFile(path.join(PROJECT_ROOT, "test/package/consumer/main.ts.txt"), path.join(consumerDir, "main.ts"));
  await npmInstall(consumerDir, [...tarballs, TYPESCRIPT]);
  return undefined;
}

/** Every package installed together in a fresh project, once per test run. */
export async function installedConsumer(): Promise<InstalledConsumer> {
  const workDir = await oncePerRun("package-consumer", installTogether);
  return { workDir, consumerDir: path.join(workDir, "consumer") };
}
