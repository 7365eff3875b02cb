/**
 * `npm run diff -- --base <git-ref> [--spec <file>]`: compares the bundled spec (generated/openapi.json, or
 * --spec) with generated/openapi.json as committed at <git-ref>. Exit 1 on a breaking change for clients,
 * 0 otherwise, 2 on a usage error (unknown ref, unreadable file: a SpecSourceError is one).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type CommandIo, consoleIo, runCommand, UsageError } from "../../shared/command-line.js";
import { compareSpecs } from "../../shared/spec-compare.js";
import { loadSpecAtRef, loadSpecFile } from "./load.js";
import { formatChanges } from "./report.js";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const BUNDLED_SPEC = "generated/openapi.json";

const DIFF = {
  name: "diff",
  usage: `Usage: npm run diff -- --base <git-ref> [options]

  --base <git-ref>  the commit, branch or tag whose ${BUNDLED_SPEC} is the old side (required)
  --spec <file>     the new side (default: the working tree's ${BUNDLED_SPEC})
  -h, --help        show this help

Exit codes: 0 no breaking change, 1 a breaking change for clients, 2 usage error.`,
  options: { base: { type: "string" }, spec: { type: "string" } },
} as const;

export function diffCommand(argv: readonly string[], io: CommandIo = consoleIo): Promise<number> {
  return runCommand(
    DIFF,
    argv,
    async (values) => {
      if (!values.base) throw new UsageError("--base <git-ref> is required");
      const specFile = path.resolve(values.spec ?? path.join(PROJECT_ROOT, BUNDLED_SPEC));
      const [base, head] = await Promise.all([loadSpecAtRef(values.base, BUNDLED_SPEC, PROJECT_ROOT), loadSpecFile(specFile)]);
      const changes = compareSpecs(base, head);
      io.out(formatChanges(changes, `Comparing ${path.relative(process.cwd(), specFile)} with ${values.base}:${BUNDLED_SPEC}`));
      return changes.some((change) => change.breaking) ? 1 : 0;
    },
    io,
  );
}
