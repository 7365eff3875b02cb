/**
 * One `npm run build` per test run, shared by every test file that needs the built package: the first caller of
 * `sharedBuild()` takes a lock (an atomic mkdir in the run's folder, made by test/setup/shared-build.ts) and runs
 * the project's own build script; the others wait for its outcome. Outside such a run (no folder), it builds.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT, run } from "./project.js";

export const SHARED_BUILD_ENV = "AOCT_SHARED_BUILD_DIR";
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const WAIT_MS = 300_000;

/** `dist/` of this repository, freshly built by `npm run build` once in this test run. */
export const DIST = path.join(PROJECT_ROOT, "dist");

async function build(): Promise<string | undefined> {
  const result = await run(NPM, ["run", "build", "--silent"], { timeoutMs: WAIT_MS });
  return result.code === 0 ? undefined : `npm run build failed (${result.code}):\n${result.stdout}\n${result.stderr}`;
}

export async function sharedBuild(): Promise<string> {
  const dir = process.env[SHARED_BUILD_ENV];
  if (!dir) {
    const failure = await build();
    if (failure) throw new Error(failure);
    return DIST;
  }
  const outcome = path.join(dir, "outcome.txt");
  let builder = false;
  try {
    mkdirSync(path.join(dir, "lock"));
    builder = true;
  } catch {
    // Another test file is building (or has built).
  }
  if (builder) {
    const failure = await build();
    writeFileSync(outcome, failure ?? "ok");
  }
  const deadline = Date.now() + WAIT_MS;
  while (!existsSync(outcome)) {
    if (Date.now() > deadline) throw new Error(`the shared build did not finish within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const text = readFileSync(outcome, "utf8");
  if (text !== "ok") throw new Error(text);
  return DIST;
}
