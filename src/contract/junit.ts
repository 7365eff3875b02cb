/**
 * The JUnit report of a contract run, written by the runner itself (not by Dredd's xunit reporter, which prints
 * request headers — tokens included — and leaves a broken file when the process ends early). It is:
 * - always well-formed: every write is a whole document, put in place atomically (a fresh temporary file in the
 *   same directory, opened with O_EXCL|O_NOFOLLOW, then renamed over the report);
 * - honest about runs that did not finish: it is written once when the run starts, with an error saying the run has
 *   not finished, and on an interrupt it holds the results so far plus an error marking the run interrupted, so no
 *   CI view shows an unfinished run as a pass;
 * - free of secrets: every text goes through the run's redactor.
 */
import { randomBytes } from "node:crypto";
import { closeSync, constants, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import type { TransactionResult } from "./dredd.js";
import type { DriftCase } from "./drift/report.js";
import { ContractUsageError } from "./errors.js";

export interface JunitContent {
  suite: string;
  results: TransactionResult[];
  skipReasons: Map<string, string>;
  /** Run-level errors (not finished, interrupted, clean-up failures), each reported as an erroring test case. */
  runErrors: Array<{ name: string; message: string }>;
  /** What the target does beyond the spec, one case per operation (failures only with --fail-on-drift). */
  driftCases?: DriftCase[];
  startedAt: Date;
}

/** Invalid XML characters are dropped; markup characters escaped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function openExclusive(file: string): number {
  return openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
}

function temporaryBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
}

/** A usage error before any work when a report (`flag`, e.g. `--junit`) could not be written: a directory, or a place we cannot write. */
export function checkReportPath(file: string, flag = "--junit"): void {
  try {
    if (statSync(file).isDirectory())
      throw new ContractUsageError(
        `${flag} ${file} is a directory; give a file name such as ${path.join(file, flag === "--junit" ? "contract.xml" : "drift.json")}`,
      );
  } catch (error) {
    if (error instanceof ContractUsageError) throw error;
  }
  const probe = temporaryBeside(file);
  try {
    // `--junit reports/contract.xml` in a fresh checkout: the folder is made, as test runners make theirs.
    mkdirSync(path.dirname(file), { recursive: true });
    closeSync(openExclusive(probe));
    rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    throw new ContractUsageError(`${flag} ${file} cannot be written (${code || (error as Error).message}); check that its directory exists and is writable`);
  }
}

export const checkJunitPath = (file: string): void => checkReportPath(file, "--junit");

export function renderJunit(content: JunitContent, redact: (text: string) => string): string {
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const result of content.results) {
    const name = xml(redact(result.id));
    const message = xml(redact(result.status === "skip" ? (content.skipReasons.get(result.id) ?? result.message) : result.message));
    if (result.status === "pass") cases.push(`    <testcase classname="contract" name="${name}"/>`);
    else if (result.status === "skip") {
      skipped += 1;
      cases.push(`    <testcase classname="contract" name="${name}">\n      <skipped message="${message}"/>\n    </testcase>`);
    } else {
      const tag = result.status === "fail" ? "failure" : "error";
      if (tag === "failure") failures += 1;
      else errors += 1;
      cases.push(`    <testcase classname="contract" name="${name}">\n      <${tag} message="${message}">${message}</${tag}>\n    </testcase>`);
    }
  }
  for (const runError of content.runErrors) {
    errors += 1;
    const message = xml(redact(runError.message));
    cases.push(`    <testcase classname="contract" name="${xml(runError.name)}">\n      <error message="${message}">${message}</error>\n    </testcase>`);
  }
  for (const drift of content.driftCases ?? []) {
    const output = `      <system-out>${xml(redact(drift.output))}</system-out>`;
    if (drift.failure !== undefined) {
      failures += 1;
      const message = xml(redact(drift.failure));
      cases.push(
        `    <testcase classname="drift" name="${xml(drift.name)}">\n      <failure message="${message}">${message}</failure>\n${output}\n    </testcase>`,
      );
    } else cases.push(`    <testcase classname="drift" name="${xml(drift.name)}">\n${output}\n    </testcase>`);
  }
  const tests = content.results.length + content.runErrors.length + (content.driftCases?.length ?? 0);
  const seconds = ((Date.now() - content.startedAt.getTime()) / 1000).toFixed(3);
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds}"`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="contract" ${counts}>`,
    `  <testsuite name="${xml(redact(content.suite))}" ${counts} timestamp="${content.startedAt.toISOString()}">`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    ``,
  ].join("\n");
}

/** Writes a file atomically: readers see the previous content or this one, never a part. */
export function writeFileAtomically(file: string, text: string): void {
  const temporary = temporaryBeside(file);
  const fd = openExclusive(temporary);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** Writes the report atomically. */
export function writeJunit(file: string, content: JunitContent, redact: (text: string) => string): void {
  writeFileAtomically(file, renderJunit(content, redact));
}
