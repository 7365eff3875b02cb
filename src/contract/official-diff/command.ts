/**
 * `npm run official-diff -- <document>` (and `auth0-contract official-diff <document>`): compares our operations
 * with Auth0's published Management API document, a file or an https URL. Exit 0 when every difference is decided,
 * 1 when anything is new, 2 on a usage error (a missing, unreadable or invalid document included).
 */
import { appendFile } from "node:fs/promises";
import { type CommandIo, consoleIo, runCommand, UsageError } from "../../shared/command-line.js";
import { listOperations, loadDereferencedSpec } from "../../shared/spec.js";
import { compareWithOfficial } from "./compare.js";
import { loadDecisionList } from "./decisions.js";
import { DEFAULT_READ_LIMITS, readOfficialDocument, type ReadLimits } from "./document.js";
import { formatComparison, markdownSummary } from "./report.js";

/** Where Auth0 publishes the document (what the scheduled workflow reads). */
export const OFFICIAL_DOCUMENT_URL = "https://auth0.com/docs/oas/management/v2/management-api-oas.json";

const usage = (command: string) => `Usage: ${command} <document> [options]

Compares this project's ${listOperations().length} operations with Auth0's published Management API document:
operations (and new ones in the family next to ours), parameters and their bounds, request and response fields,
enums, defaults, status codes, scopes and x-release-lifecycle. Differences recorded in
openapi/official-decisions.yaml are reported as decided; anything else is new.

  <document>        a file, or an https URL such as ${OFFICIAL_DOCUMENT_URL}
                    (JSON, at most ${DEFAULT_READ_LIMITS.maxBytes / 1024 / 1024} MiB, fetched within ${DEFAULT_READ_LIMITS.timeoutMs / 1000} s)
  --summary FILE    also append a Markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY")
  --verbose         list the decided differences too
  -h, --help        show this help

Exit codes: 0 nothing new, 1 a new difference, 2 usage error (including an unreadable or invalid document).`;

export function officialDiffCommand(
  argv: readonly string[],
  io: CommandIo = consoleIo,
  command = "official-diff",
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<number> {
  const definition = {
    name: command,
    usage: usage(command),
    options: { summary: { type: "string" }, verbose: { type: "boolean", default: false } },
    positionals: ["document"],
  } as const;
  return runCommand(
    definition,
    argv,
    async (values, out, [source]) => {
      if (!source) throw new UsageError("name Auth0's document: a file or an https URL");
      const { document } = await readOfficialDocument(source, limits);
      const result = compareWithOfficial(loadDereferencedSpec(), document, loadDecisionList(), source);
      out.out(formatComparison(result, `Comparing our spec (${result.operations} operations) with ${source}:`, values.verbose));
      if (values.summary) await appendFile(values.summary, markdownSummary(result, source));
      return result.differences.some((d) => !d.decision) ? 1 : 0;
    },
    io,
  );
}
