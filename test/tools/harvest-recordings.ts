/**
 * Development tool, not part of any package: walks the git history of Auth0's public repositories (local mirrors),
 * reads every version of every cassette their test suites recorded, and checks each real interaction with one of
 * the spec's operations against the spec both ways (test/helpers/recording-checks.ts). Prints what fails, grouped,
 * and writes the interactions whose shape no fixture has yet to a fixture file.
 *
 *   npx tsx test/tools/harvest-recordings.ts [--out FILE] [--failures FILE] owner/name=/path/to/git-dir ...
 *
 * Cassettes that are not wire data (hand-written durations, made-up ids, answers about another resource) are left
 * out and counted.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createOperationMatcher } from "../../src/shared/response-validation.js";
import { createSpecAjv } from "../../src/shared/spec.js";
import { interactionSpecProblems, type RecordedInteraction, wireDataProblems } from "../helpers/recording-checks.js";
import { ADJACENT_RECORDINGS_DIR, loadRecordings } from "../helpers/recordings.js";
import { looksHandWritten, readCassette, toRecordedInteraction } from "./cassettes.js";

/** Where the recorders keep cassettes in Auth0's repositories. */
const CASSETTE_PATH = /(recordings|cassettes)\/.*\.(ya?ml|json)$/;

interface BlobVersion {
  blob: string;
  path: string;
  commit: string;
}

/** Every version of every cassette on any branch: the blob, its path, and the oldest commit that wrote it there. */
function cassetteVersions(gitDir: string): BlobVersion[] {
  const log = execFileSync("git", ["--git-dir", gitDir, "log", "--all", "--format=C %H", "--raw", "--no-abbrev", "--no-renames"], {
    maxBuffer: 2 ** 30,
    encoding: "utf8",
  });
  const versions = new Map<string, BlobVersion>();
  let commit = "";
  for (const line of log.split("\n")) {
    if (line.startsWith("C ")) commit = line.slice(2, 10);
    else if (line.startsWith(":")) {
      const [meta, path] = line.split("\t");
      const [, , , blob, status] = meta!.split(" ");
      if (!path || !CASSETTE_PATH.test(path) || !/^[AM]/.test(status ?? "")) continue;
      // git log lists newest first: the last commit seen is the oldest that wrote this blob at this path.
      versions.set(`${blob} ${path}`, { blob: blob!, path, commit });
    }
  }
  return [...versions.values()];
}

/** The contents of many blobs at once (`git cat-file --batch`). */
function readBlobs(gitDir: string, blobs: readonly string[]): Map<string, string> {
  const unique = [...new Set(blobs)];
  const out = spawnSync("git", ["--git-dir", gitDir, "cat-file", "--batch"], { input: unique.join("\n") + "\n", maxBuffer: 2 ** 31 }).stdout;
  const contents = new Map<string, string>();
  let offset = 0;
  for (const blob of unique) {
    const headerEnd = out.indexOf(10, offset);
    const [, , size] = out.subarray(offset, headerEnd).toString("utf8").split(" ");
    const length = Number(size);
    contents.set(blob, out.subarray(headerEnd + 1, headerEnd + 1 + length).toString("utf8"));
    offset = headerEnd + 1 + length + 1;
  }
  return contents;
}

/** Where each key sits in a JSON value (list positions left out), sorted: the value's shape. */
function keyPaths(value: unknown, path = "", into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keyPaths(item, `${path}[]`, into);
  else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      into.add(`${path}.${key}:${inner === null ? "null" : Array.isArray(inner) ? "array" : typeof inner}`);
      keyPaths(inner, `${path}.${key}`, into);
    }
  }
  return into;
}

/** Two interactions with one shape teach the spec the same thing. */
function shapeKey(r: RecordedInteraction): string {
  const strategy = (body: unknown) => (body !== null && typeof body === "object" && "strategy" in body ? String(body.strategy) : "");
  return JSON.stringify([
    r.method,
    r.pathTemplate,
    r.status,
    Object.keys(r.query).sort(),
    [...keyPaths(r.responseBody)].sort(),
    [...keyPaths(r.requestBody)].sort(),
    strategy(r.responseBody),
  ]);
}

function describeHarvest(repositories: readonly string[]): string {
  const names = repositories.map((argument) => argument.split("=")[0]).join(", ");
  return (
    "Real Auth0 Management API v2 interactions that Auth0's own test suites recorded against live tenants, in shapes no other file here has: " +
    `every version of every cassette in the history of ${names} (test/tools/harvest-recordings.ts), reduced to the operations this project describes, ` +
    "without the cassettes that are not wire data, and de-duplicated by method, path template, status, query keys, the key paths and types of the " +
    "request and response bodies, and connection strategy. Same interaction format as the other files here."
  );
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: "string" }, failures: { type: "string" } } });
  const matchOperation = createOperationMatcher();
  const ajv = createSpecAjv();
  const known = new Set([...loadRecordings(), ...loadRecordings(undefined, ADJACENT_RECORDINGS_DIR)].map(shapeKey));
  const fresh = new Map<string, RecordedInteraction>();
  const failures: Array<{ source: string; problems: string[]; interaction: RecordedInteraction }> = [];
  const counts = { cassettes: 0, handWritten: 0, notWire: 0, checked: 0, failed: 0 };
  const perOperation = new Map<string, number>();
  const skipped = new Map<string, number>();

  for (const argument of positionals) {
    const [repo, gitDir] = argument.split("=");
    if (!repo || !gitDir) throw new Error(`expected owner/name=/path/to/git-dir, got ${argument}`);
    const versions = cassetteVersions(gitDir);
    const contents = readBlobs(
      gitDir,
      versions.map((v) => v.blob),
    );
    for (const version of versions) {
      const raw = readCassette(version.path, contents.get(version.blob) ?? "");
      if (!raw) continue;
      counts.cassettes += 1;
      if (looksHandWritten(raw)) {
        counts.handWritten += 1;
        continue;
      }
      for (const [index, interaction] of raw.entries()) {
        const recorded = toRecordedInteraction(interaction, `${repo}@${version.commit}:${version.path}#${index}`, matchOperation);
        if (typeof recorded === "string") {
          skipped.set(recorded, (skipped.get(recorded) ?? 0) + 1);
          continue;
        }
        if (wireDataProblems(recorded).length > 0) {
          counts.notWire += 1;
          continue;
        }
        counts.checked += 1;
        const operation = `${recorded.method} ${recorded.pathTemplate}`;
        perOperation.set(operation, (perOperation.get(operation) ?? 0) + 1);
        const problems = interactionSpecProblems(recorded, ajv);
        if (problems.length > 0) {
          counts.failed += 1;
          failures.push({ source: recorded.source, problems, interaction: recorded });
        }
        const key = shapeKey(recorded);
        if (!known.has(key) && !fresh.has(key)) fresh.set(key, recorded);
      }
    }
  }

  console.log(JSON.stringify({ ...counts, newShapes: fresh.size }, null, 1));
  console.log("skipped:", JSON.stringify(Object.fromEntries([...skipped].filter(([reason]) => !reason.startsWith("host ")))));
  for (const [operation, n] of [...perOperation].sort()) console.log(`${String(n).padStart(6)}  ${operation}`);
  const grouped = new Map<string, string[]>();
  for (const failure of failures) {
    for (const problem of failure.problems) {
      const key = `${failure.interaction.method} ${failure.interaction.pathTemplate} ${failure.interaction.status}: ${problem.slice(0, 300)}`;
      grouped.set(key, [...(grouped.get(key) ?? []), failure.source]);
    }
  }
  for (const [problem, sources] of [...grouped].sort((a, b) => b[1].length - a[1].length))
    console.log(`\n${sources.length}× ${problem}\n   e.g. ${sources[0]}`);
  if (values.failures) writeFileSync(values.failures, JSON.stringify(failures, null, 1));
  if (values.out) writeFileSync(values.out, JSON.stringify({ description: describeHarvest(positionals), interactions: [...fresh.values()] }, null, 1) + "\n");
}

main();
