/** Builds the docs page the way a user does (`npm run docs -- --out <file>`) into a temporary folder. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PROJECT_ROOT, run } from "../helpers/project.js";

export interface BuiltPage {
  dir: string;
  file: string;
  html: string;
  stdout: string;
  cleanup(): Promise<void>;
}

export async function buildDocsPage(): Promise<BuiltPage> {
  const dir = await mkdtemp(path.join(tmpdir(), "org-connections-docs-"));
  const file = path.join(dir, "index.html");
  const result = await run(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "scripts", "docs.ts"), "--out", file], { timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`npm run docs failed (${result.code}):\n${result.stderr}${result.stdout}`);
  return { dir, file, html: await readFile(file, "utf8"), stdout: result.stdout, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
