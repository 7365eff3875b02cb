/**
 * `npm run diff -- --base <git-ref> [--spec <file>]`: compares the bundled spec (generated/openapi.json, or
 * --spec) with generated/openapi.json as committed at <git-ref>. Exit 1 on a breaking change for clients,
 * 0 otherwise, 2 on a usage error (unknown ref, unreadable file).
 */
import path from "node:path";
import { exitWithUsageError, parseCommandLine } from "../src/shared/command-line.js";
import { compareSpecs } from "../src/spec-tools/diff/compare.js";
import { loadSpecAtRef, loadSpecFile, SpecSourceError } from "../src/spec-tools/diff/load.js";
import { formatChanges } from "../src/spec-tools/diff/report.js";

const BUNDLED_SPEC = "generated/openapi.json";
const USAGE = "usage: npm run diff -- --base <git-ref> [--spec <file>]";

function usageError(message: string): never {
  exitWithUsageError("diff", message, USAGE);
}

const values = parseCommandLine("diff", USAGE, { base: { type: "string" }, spec: { type: "string" } });
if (!values.base) usageError("--base <git-ref> is required");

const projectRoot = path.resolve(import.meta.dirname, "..");
const specFile = path.resolve(values.spec ?? path.join(projectRoot, BUNDLED_SPEC));

try {
  const [base, head] = await Promise.all([loadSpecAtRef(values.base, BUNDLED_SPEC, projectRoot), loadSpecFile(specFile)]);
  const changes = compareSpecs(base, head);
  console.log(formatChanges(changes, `Comparing ${path.relative(process.cwd(), specFile)} with ${values.base}:${BUNDLED_SPEC}`));
  process.exit(changes.some((c) => c.breaking) ? 1 : 0);
} catch (error) {
  if (error instanceof SpecSourceError) usageError(error.message);
  throw error;
}
