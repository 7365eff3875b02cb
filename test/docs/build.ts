/**
 * Builds the docs page the way a user does (`npm run docs -- --out <file>`), once per test run (the page and what
 * the command printed are shared by the docs tests; see test/helpers/shared-build.ts).
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT, run } from "../helpers/project.js";
import { oncePerRun, SHARED_BUILD_ENV } from "../helpers/shared-build.js";

export interface BuiltPage {
  dir: string;
  file: string;
  html: string;
  stdout: string;
  /** Removes the page, unless the test run shares it (the run's teardown removes it then). */
  cleanup(): Promise<void>;
}

export async function buildDocsPage(): Promise<BuiltPage> {
  const dir = await oncePerRun("docs", async (folder) => {
    const result = await run(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "scripts", "docs.ts"), "--out", path.join(folder, "index.html")], {
      timeoutMs: 120_000,
    });
    await writeFile(path.join(folder, "stdout.txt"), result.stdout);
    return result.code === 0 ? undefined : `npm run docs failed (${result.code}):\n${result.stderr}${result.stdout}`;
  });
  const file = path.join(dir, "index.html");
  const cleanup = () => (process.env[SHARED_BUILD_ENV] ? Promise.resolve() : rm(dir, { recursive: true, force: true }));
  return { dir, file, html: await readFile(file, "utf8"), stdout: await readFile(path.join(dir, "stdout.txt"), "utf8"), cleanup };
}
