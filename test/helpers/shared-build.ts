/**
 * Work done once per test run and shared by every test file that needs it — `npm run build` (each package's dist/) and the docs
 * page (`npm run docs`): the first caller takes a lock (an atomic mkdir in the run's folder, made by
 * test/setup/shared-build.ts) and does the work; the others wait for its outcome. Outside such a run (no folder),
 * each caller does the work itself.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NPM, PROJECT_ROOT, run } from "./project.js";

export const SHARED_BUILD_ENV = "AOCT_SHARED_BUILD_DIR";
const WAIT_MS = 300_000;

/** One of the repository's packages (an npm workspace under src/), as its manifest describes it. */
export interface WorkspacePackage {
  /** Its folder, e.g. `<repo>/src/emulator`; its build is in `dist/` there. */
  dir: string;
  manifest: { name: string; bin?: Record<string, string>; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> } & Record<
    string,
    unknown
  >;
}

/** The packages this repository publishes: the workspaces its package.json lists, in that order. */
export function workspacePackages(): WorkspacePackage[] {
  const root = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { workspaces: string[] };
  return root.workspaces.map((folder) => {
    const dir = path.join(PROJECT_ROOT, folder);
    return { dir, manifest: JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as WorkspacePackage["manifest"] };
  });
}

/** Where a built package's command is, as its manifest's `bin` says (e.g. `auth0-emulator`). */
export function builtCommand(command: string): string {
  const owner = workspacePackages().find((p) => p.manifest.bin?.[command]);
  if (!owner) throw new Error(`no package of this repository has the command ${command}`);
  return path.join(owner.dir, owner.manifest.bin![command]!);
}

/**
 * Runs `work` once per test run in a folder of its own (kept until the run ends) and returns that folder. `work`
 * resolves with a failure message, or undefined when it succeeded; a failure is thrown to every caller.
 */
export async function oncePerRun(name: string, work: (folder: string) => Promise<string | undefined>): Promise<string> {
  const runDir = process.env[SHARED_BUILD_ENV];
  if (!runDir) {
    const folder = mkdtempSync(path.join(tmpdir(), `aoct-${name}-`));
    const failure = await work(folder);
    if (failure) throw new Error(failure);
    return folder;
  }
  const folder = path.join(runDir, name);
  const outcome = path.join(runDir, `${name}.outcome`);
  let first = false;
  try {
    mkdirSync(folder);
    first = true;
  } catch {
    // Another test file is doing it (or has done it).
  }
  if (first) writeFileSync(outcome, (await work(folder).catch((error: unknown) => String(error))) ?? "ok");
  const deadline = Date.now() + WAIT_MS;
  while (!existsSync(outcome)) {
    if (Date.now() > deadline) throw new Error(`the shared ${name} did not finish within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const text = readFileSync(outcome, "utf8");
  if (text !== "ok") throw new Error(text);
  return folder;
}

/** `npm run build` (every package's build), once per test run; returns the packages. */
export async function sharedBuild(): Promise<WorkspacePackage[]> {
  await oncePerRun("build", async () => {
    const result = await run(NPM, ["run", "build", "--silent"], { timeoutMs: WAIT_MS });
    return result.code === 0 ? undefined : `npm run build failed (${result.code}):\n${result.stdout}\n${result.stderr}`;
  });
  return workspacePackages();
}
