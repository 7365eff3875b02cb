/**
 * What a user gets from a release: every package of this repository packed with `npm pack`, once per test run,
 * into a folder of the run's own. The packages are built once by the run's shared `npm run build` (which runs each
 * package's build script, the one its `prepack` runs), so packing skips the scripts instead of rebuilding while
 * other test files read the build.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { NPM, run } from "../helpers/project.js";
import { oncePerRun, sharedBuild, type WorkspacePackage } from "../helpers/shared-build.js";

export interface PackedPackage extends WorkspacePackage {
  /** The tarball `npm pack` wrote. */
  tarball: string;
  /** The files in it, relative to the package (e.g. `dist/src/client/index.js`). */
  files: string[];
}

const INDEX = "packed.json";

async function packEverything(folder: string): Promise<undefined> {
  const packed: PackedPackage[] = [];
  for (const workspace of await sharedBuild()) {
    const result = await run(NPM, ["pack", "--json", "--ignore-scripts", "--pack-destination", folder], { cwd: workspace.dir, timeoutMs: 240_000 });
    if (result.code !== 0) throw new Error(`npm pack of ${workspace.manifest.name} failed:\n${result.stderr}`);
    const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packed.push({ ...workspace, tarball: path.join(folder, info!.filename), files: info!.files.map((f) => f.path) });
  }
  await writeFile(path.join(folder, INDEX), JSON.stringify(packed));
  return undefined;
}

/** Every package, packed (once per test run). */
export async function packedPackages(): Promise<PackedPackage[]> {
  const folder = await oncePerRun("packed-packages", packEverything);
  return JSON.parse(await readFile(path.join(folder, INDEX), "utf8")) as PackedPackage[];
}

/** One package by name, packed. */
export async function packedPackage(name: string): Promise<PackedPackage> {
  const found = (await packedPackages()).find((p) => p.manifest.name === name);
  if (!found) throw new Error(`this repository publishes no package named ${name}`);
  return found;
}

/** `npm install` of tarballs (and registry specs) into a project, preferring the local cache. */
export async function npmInstall(projectDir: string, specs: string[], extra: string[] = []): Promise<void> {
  const installed = await run(NPM, ["install", ...specs, ...extra, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: projectDir,
    timeoutMs: 240_000,
  });
  if (installed.code !== 0) throw new Error(`npm install ${specs.map((s) => path.basename(s)).join(" ")} failed:\n${installed.stderr}`);
}
