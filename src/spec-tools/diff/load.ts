/**
 * Loads the two sides of a spec comparison: the bundled spec in the working tree and the same file as
 * committed at a git ref. Both are dereferenced with @redocly/openapi-core, so `$ref`s never hide a change.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { bundleFromString, createConfig } from "@redocly/openapi-core";
import { UsageError } from "../../shared/command-line.js";
import type { OpenApiDocument } from "../../shared/spec.js";

const execFileAsync = promisify(execFile);

/** A problem with what the user asked for (a ref, a file): reported as a usage error, exit code 2. */
export class SpecSourceError extends UsageError {}

/** Replaces every `$ref` with its target. `name` only labels error messages. */
export async function dereferenceSpec(text: string, name: string): Promise<OpenApiDocument> {
  let result;
  try {
    result = await bundleFromString({ source: text, absoluteRef: path.resolve(name), config: await createConfig({}), dereference: true });
  } catch (error) {
    throw new SpecSourceError(`${name} is not a readable OpenAPI document: ${(error as Error).message}`);
  }
  const errors = result.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new SpecSourceError(`${name} could not be resolved: ${errors.map((p) => p.message).join("; ")}`);
  const doc = result.bundle.parsed as OpenApiDocument | undefined;
  if (!doc || typeof doc !== "object" || typeof doc.paths !== "object") throw new SpecSourceError(`${name} has no paths: not an OpenAPI document`);
  return doc;
}

export async function loadSpecFile(file: string): Promise<OpenApiDocument> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new SpecSourceError(`cannot read ${file}`);
  }
  return dereferenceSpec(text, file);
}

async function git(args: string[], cwd: string): Promise<{ ok: boolean; stdout: string }> {
  try {
    const { stdout } = await execFileAsync("git", args, { cwd, timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout };
  } catch {
    return { ok: false, stdout: "" };
  }
}

/**
 * The file `repoPath` (relative to the repository root) as committed at `ref`. Throws a SpecSourceError
 * when the ref does not name a commit or the file did not exist there.
 */
export async function loadSpecAtRef(ref: string, repoPath: string, cwd: string): Promise<OpenApiDocument> {
  if (ref.startsWith("-")) throw new SpecSourceError(`"${ref}" is not a git ref`);
  const commit = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd);
  if (!commit.ok) throw new SpecSourceError(`unknown git ref "${ref}" (try a branch, a tag or a commit such as HEAD~1)`);
  const file = await git(["show", `${commit.stdout.trim()}:${repoPath}`], cwd);
  if (!file.ok) throw new SpecSourceError(`${repoPath} does not exist at ${ref}`);
  return dereferenceSpec(file.stdout, `${ref}:${repoPath}`);
}
