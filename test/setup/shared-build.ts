/**
 * vitest globalSetup: prepares one shared build of the package for the whole run. Nothing is built here: the
 * first test file that needs a build builds it (test/helpers/shared-build.ts), every other one waits for that
 * build, so a run of a few test files that need no build pays nothing, and a whole run builds once instead of
 * once per user (the packed-package test, the CLI tests that start the built commands).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SHARED_BUILD_ENV } from "../helpers/shared-build.js";

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), "aoct-shared-build-"));
  // Workers inherit the environment of the process that runs this setup.
  process.env[SHARED_BUILD_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
