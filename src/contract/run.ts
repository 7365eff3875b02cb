/**
 * A contract run: resolve the target, set up fixtures on it (unless it is a stateless mock), run Dredd with the
 * contract hooks, print progress and a summary, and always clean up — after failures, on SIGINT/SIGTERM and on
 * an uncaught error too.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { BUNDLED_SPEC_FILE } from "../shared/spec.js";
import { ContractUsageError } from "./errors.js";
import { runDredd, type TransactionResult } from "./dredd.js";
import { ContractFixtures, removeLeftovers } from "./fixtures.js";
import { type HookRuntime, publishHooks } from "./hooks.js";
import { DEFAULT_JOURNAL_FILE, Journal, journalForRun, leftoverRuns } from "./journal.js";
import { countResults, type ContractCounts, progressLine, summaryLines } from "./report.js";
import { type ContractTargetOptions, resolveTarget, type Target } from "./targets.js";

export interface ContractOptions extends ContractTargetOptions {
  /** Write a JUnit report here. */
  junitFile?: string;
  /** Where created resources are journaled (default `.contract-journal.json` in the working directory). */
  journalFile?: string;
  /** The bundled spec to check against (default: the package's `generated/openapi.json`). */
  specPath?: string;
  /** Receives every line of progress and summary (default: stdout). */
  log?: (line: string) => void;
  /** Clean up and exit on SIGINT/SIGTERM (the CLI sets this). */
  handleSignals?: boolean;
  requestTimeoutMs?: number;
}

export interface ContractReport {
  target: string;
  results: TransactionResult[];
  counts: ContractCounts;
  skipReasons: Map<string, string>;
  /** Resources that could not be deleted at the end (left in the journal for `--cleanup`). */
  cleanupFailures: string[];
  ok: boolean;
}

function newRunId(): string {
  return randomBytes(4).toString("hex");
}

function checkSpec(specPath: string): void {
  if (!existsSync(specPath)) throw new ContractUsageError(`the spec ${specPath} does not exist; run \`npm run generate\` (or pass --spec FILE)`);
}

/** Runs the contract against one target and returns the report; throws only when the run cannot start. */
export async function runContract(options: ContractOptions = {}): Promise<ContractReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const specPath = options.specPath ?? BUNDLED_SPEC_FILE;
  checkSpec(specPath);
  const runId = newRunId();
  const target = await resolveTarget(options);
  const journal = new Journal(options.journalFile ?? DEFAULT_JOURNAL_FILE, runId, target.baseUrl);
  const fixtures = target.stateful ? new ContractFixtures(target.api, journal, runId) : undefined;
  const skipReasons = new Map<string, string>();
  const results: TransactionResult[] = [];
  let cleanupFailures: string[] = [];

  const runtime: HookRuntime = {
    capabilities: target.capabilities,
    basePath: new URL(target.baseUrl).pathname.replace(/\/$/, ""),
    tokens: target.tokens,
    fixtures,
    skipReasons,
    inFlight: new Set(),
  };
  let finished: Promise<void> | undefined;
  const finish = () => (finished ??= (async () => {
    // On an interruption Dredd may still be mid-transaction: let no new set-up start, and let the current one end,
    // so that nothing is created after the clean-up has looked at the journal.
    runtime.stopping = true;
    await Promise.allSettled([...runtime.inFlight]);
    if (fixtures) {
      // A fault forced for a transaction that never ran must not hit the clean-up's requests.
      await target.clearFaults?.().catch(() => {});
      cleanupFailures = await fixtures.tearDown();
    }
    await target.close();
  })());
  const removeSignalHandlers = options.handleSignals ? installSignalHandlers(finish, log) : () => {};
  const hooks = publishHooks(runtime);

  try {
    log(`Contract run ${runId} against ${target.description} (${target.baseUrl})`);
    await target.checkReachable();
    if (fixtures) await fixtures.setUp();
    await runDredd({
      endpoint: target.baseUrl,
      specPath,
      junitFile: options.junitFile,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      onResult: (result) => {
        results.push(result);
        log(progressLine(result, skipReasons.get(result.id)));
      },
    });
    if (!hooks.registered()) throw new Error("Dredd did not load the contract hooks");
  } finally {
    hooks.withdraw();
    await finish();
    removeSignalHandlers();
  }

  for (const line of summaryLines(results, skipReasons)) log(line);
  if (cleanupFailures.length > 0) {
    log(`Cleanup left ${cleanupFailures.length} resource(s) behind (run with --cleanup to retry):`);
    for (const failure of cleanupFailures) log(`  ${failure}`);
  }
  const counts = countResults(results);
  return { target: target.baseUrl, results, counts, skipReasons, cleanupFailures, ok: counts.failed === 0 && counts.total > 0 };
}

/** On SIGINT/SIGTERM or an uncaught error: clean up, then exit (130/143/1). */
function installSignalHandlers(finish: () => Promise<void>, log: (line: string) => void): () => void {
  const exitAfterCleanup = (code: number, why: string) => () => {
    log(`\n${why}: removing the run's resources before exiting…`);
    const force = setTimeout(() => process.exit(code), 30_000);
    force.unref();
    void finish().finally(() => process.exit(code));
  };
  const onSigint = exitAfterCleanup(130, "Interrupted");
  const onSigterm = exitAfterCleanup(143, "Terminated");
  const onUncaught = (error: unknown) => {
    log(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    exitAfterCleanup(1, "Aborting")();
  };
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigterm);
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  return () => {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
  };
}

/** `contract --cleanup`: delete what interrupted runs against this target left behind, per the journal. */
export async function cleanupLeftovers(options: ContractOptions = {}): Promise<{ deleted: number; failures: string[] }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const target: Target = await resolveTarget(options);
  try {
    if (!target.stateful) return { deleted: 0, failures: [] };
    await target.checkReachable();
    // A killed run may have left a fault forced for a transaction that never ran; it must not hit the clean-up.
    await target.clearFaults?.().catch(() => {});
    const file = options.journalFile ?? DEFAULT_JOURNAL_FILE;
    const runs = leftoverRuns(file, target.baseUrl);
    const result = await removeLeftovers(target.api, runs.map((run) => journalForRun(file, run.runId, target.baseUrl)));
    log(`Removed ${result.deleted} leftover resource(s) of ${runs.length} interrupted run(s) against ${target.baseUrl}.`);
    for (const failure of result.failures) log(`  could not remove: ${failure}`);
    return result;
  } finally {
    await target.close();
  }
}
