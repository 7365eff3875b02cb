/**
 * A contract run: resolve the target, set up fixtures on it (unless it is a stateless mock), run Dredd with the
 * contract hooks through the run's loopback proxy (so that its requests share the run's pacer), print progress and
 * a summary, and always clean up — after failures, on SIGINT/SIGTERM and on an uncaught error too.
 */
import { listOperations } from "../shared/spec.js";
import { type CleanupOutcome, emptyOutcome, type LeftoverFinder, removeLeftovers } from "./cleanup.js";
import { ContractTargetError } from "./errors.js";
import { plannedRequestCount } from "./request-plan.js";
import { runDredd, type TransactionResult } from "./dredd.js";
import { ContractFixtures, journalFinder } from "./fixtures.js";
import { type HookRuntime, publishHooks } from "./hooks.js";
import { checkJournalDir, DEFAULT_JOURNAL_DIR, Journal, leftoverJournals } from "./journal.js";
import { createDriftCheck } from "./drift/check.js";
import { DriftCollector, type DriftFinding } from "./drift/findings.js";
import { driftCases, driftDocument, driftSummaryLines } from "./drift/report.js";
import { type JunitContent, writeFileAtomically, writeJunit } from "./junit.js";
import { MAX_WAIT_MS, Pacer, type PacerStats, type SentRecord } from "./pacer.js";
import { startProxy } from "./proxy.js";
import { approximateDuration, formatDuration } from "./duration.js";
import { staleByNameFinder } from "./name-finder.js";
import { newRunId, RUN_NAME_PREFIX } from "./run-id.js";
import { RunMarker } from "./run-mark.js";
import { countResults, type ContractCounts, progressLine, summaryLines } from "./report.js";
import { confinedFetch } from "./outbound.js";
import { redactedOutput } from "./redact.js";
import { type ContractOptions, settleRun, settleTarget } from "./run-options.js";
import { resolveTarget, type Target } from "./targets.js";

export type { ContractOptions };

export interface ContractReport {
  runId: string;
  target: string;
  results: TransactionResult[];
  counts: ContractCounts;
  skipReasons: Map<string, string>;
  /** Resources that could not be deleted at the end (left in the journal for `--cleanup`). */
  cleanupFailures: string[];
  /** What the clean-up deleted. */
  removed: string[];
  requests: PacerStats;
  /** Every request the run sent, in order (which operation, when, how answered): what the benchmark replays. */
  sentRequests: SentRecord[];
  /** What the target did beyond the spec: new findings and accepted ones (`acceptedBecause` set). */
  drift: DriftFinding[];
  ok: boolean;
}

/** How many requests the run sent and how fast: the figures the "real tenant" benchmark reads. */
export function requestsLine(stats: PacerStats): string {
  const span = stats.activeMs / 1000;
  const rate = span > 0 ? (stats.sent / span).toFixed(2) : "–";
  return `${stats.sent} requests sent in ${span.toFixed(1)} s (${rate} per second; ${stats.repeated429} repeated after a 429), ${(stats.waitedMs / 1000).toFixed(1)} s waited for the rate limit`;
}

/** The limits learned so far, for the estimate's line. */
function describeLimits(pacer: Pacer): string {
  const buckets = pacer.learner.learned();
  if (buckets.length === 0) return "no rate-limit headers seen yet";
  return buckets
    .sort((a, b) => b.operations.length - a.operations.length)
    .slice(0, 3)
    .map((b) => `${b.limit} at once${b.refillPerSecond ? `, ${b.refillPerSecond.toFixed(2)}/s back` : ""} for ${b.operations.length} operation(s)`)
    .join("; ");
}

/** A request sent this close to a static token's expiry may arrive after it: the run stops sending that much earlier. */
const TOKEN_EXPIRY_MARGIN_MS = 1_000;

/** Every transaction Dredd makes: one per documented status of each operation. */
function transactionCount(): number {
  return listOperations().reduce((sum, op) => sum + Object.keys(op.operation.responses).length, 0);
}

/**
 * A static token that expires before the run could possibly finish stops it before anything is created: even at
 * one answer per `latencyMs` (the probe's), the run's transactions need longer than the token has left.
 */
function checkTokenOutlastsRun(target: Target, latencyMs: number): void {
  const { expiresAt } = target.runTokens;
  if (expiresAt === undefined) return;
  const requests = transactionCount();
  const neededMs = requests * latencyMs;
  if (Date.now() + neededMs <= expiresAt) return;
  throw new ContractTargetError(
    `the token expires at ${new Date(expiresAt).toISOString()}, before the run can finish: its ${requests} transactions need at least ${approximateDuration(neededMs)} at ${latencyMs} ms an answer. Give a token that lasts longer, or client credentials (AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET), which the run renews for as long as it takes.`,
  );
}

/** The clean-up's closing line (each resource was reported as it went). */
function logOutcome(log: (line: string) => void, outcome: CleanupOutcome, target: string): void {
  if (outcome.removed.length > 0) log(`Removed ${outcome.removed.length} resource(s) from ${target}.`);
}

/** Runs the contract against one target and returns the report; throws only when the run cannot start. */
export async function runContract(options: ContractOptions = {}): Promise<ContractReport> {
  const settings = await settleRun(options);
  const { redact, log, specPath } = settings;
  const runId = newRunId();
  const pacer = new Pacer({ maxRps: settings.maxRps, log });
  const send = confinedFetch(settings.target.destination, settings.target.requestTimeoutMs);
  const target = await resolveTarget(settings.target, { send, pacer, onToken: (token) => redact.add(token) });
  redact.add(target.tokens.full, target.tokens.narrow);
  const journal = new Journal(settings.journalDir, runId, target.baseUrl);
  const fixtures = target.stateful ? new ContractFixtures(target.api, journal, runId, RunMarker.fromClientSecret(settings.clientSecret)) : undefined;
  const skipReasons = new Map<string, string>();
  const results: TransactionResult[] = [];
  const drift = new DriftCollector(settings.accepted, redact);
  let cleanup = emptyOutcome();
  const junit: JunitContent = { suite: `Contract (${target.description})`, results, skipReasons, runErrors: [], startedAt: new Date() };
  const writeReport = () => settings.junitFile && writeJunit(settings.junitFile, junit, redact);
  // Until the run ends the report says so: a killed run leaves an error, not an empty pass.
  junit.runErrors = [{ name: "contract run", message: "the run has not finished (it is still going, or it was killed)" }];

  const runtime: HookRuntime = {
    capabilities: target.capabilities,
    basePath: target.address.basePath,
    tokens: target.tokens,
    fixtures,
    skipReasons,
    inFlight: new Set(),
    drift: createDriftCheck(drift),
  };
  let stopCleanup = false;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Why the run could not go on (the target unusable, fixtures refused), for the JUnit report. */
  let abortedBy: string | undefined;
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  let finished: Promise<void> | undefined;
  const finish = (interruption?: string) =>
    (finished ??= (async () => {
      // On an interruption Dredd may still be mid-transaction: let no new set-up start, and let the current one end,
      // so that nothing is created after the clean-up has looked at the journal.
      runtime.stopping = true;
      if (fixtures) fixtures.stopped = true;
      proxy?.stop();
      await Promise.allSettled([...runtime.inFlight]);
      // The user's own fault settings come back, and a forced status that never fired must not hit the clean-up.
      await target.restoreFaults?.().catch((error: unknown) => log(`Could not restore the emulator's faults: ${(error as Error).message}`));
      if (fixtures) {
        cleanup = await fixtures.tearDown({ shouldStop: () => stopCleanup, log });
        logOutcome(log, cleanup, target.baseUrl);
      }
      if (target.throwaway) journal.discard();
      junit.runErrors = [];
      if (abortedBy) junit.runErrors.push({ name: "contract run", message: `the run could not go on: ${abortedBy}` });
      if (runtime.stopReason) junit.runErrors.push({ name: "contract run", message: `the run stopped: ${runtime.stopReason}` });
      if (interruption)
        junit.runErrors.push({
          name: "contract run",
          message: `${interruption}: the run stopped after ${results.length} transaction(s); the results above are incomplete`,
        });
      if (cleanup.failures.length > 0) junit.runErrors.push({ name: "clean-up", message: `could not remove: ${cleanup.failures.join("; ")}` });
      junit.driftCases = driftCases(drift.all(), settings.failOnDrift);
      writeReport();
      if (settings.driftReportFile)
        writeFileAtomically(settings.driftReportFile, `${redact(JSON.stringify(driftDocument(runId, target.baseUrl, drift.all()), null, 2))}\n`);
      await proxy?.close();
      await target.close();
    })());
  const removeSignalHandlers = settings.handleSignals
    ? installSignalHandlers({
        exit: settings.handleSignals,
        finish,
        log,
        stopCleanup: () => (stopCleanup = true),
        cleanupHint: target.throwaway ? undefined : (settings.cleanupCommand ?? "contract --cleanup"),
      })
    : () => {};
  const hooks = publishHooks(runtime);

  try {
    writeReport();
    log(`Contract run ${runId} against ${target.description} (${target.baseUrl})`);
    await target.checkReachable();
    // A target the run started that goes away (Prism killed) stops the run: nothing after it would reach it.
    target.onLost?.((reason) => {
      runtime.stopping = true;
      runtime.stopReason = reason;
      if (fixtures) fixtures.stopped = true;
    });
    if (target.runTokens.expiresAt !== undefined) {
      // The first answer paid for the connection (TLS, a cold start): a second one tells the pace of the rest.
      const probedAt = Date.now();
      await target.checkReachable();
      checkTokenOutlastsRun(target, Date.now() - probedAt);
    }
    if (target.runTokens.expiresAt !== undefined) {
      // The static token lapses mid-run: from then on nothing more is sent on its behalf, and the run says why.
      const expiresAt = target.runTokens.expiresAt;
      expiryTimer = setTimeout(
        () => {
          runtime.stopping = true;
          runtime.stopReason = `the token expired at ${new Date(expiresAt).toISOString()}`;
          if (fixtures) fixtures.stopped = true;
        },
        Math.max(0, expiresAt - TOKEN_EXPIRY_MARGIN_MS - Date.now()),
      );
    }
    const planned = await plannedRequestCount(target.capabilities, target.stateful);
    pacer.planned = planned;
    log(`This run will send about ${planned} requests (${transactionCount()} transactions).`);
    if (fixtures) {
      // Tracked like the hooks' work, so that an interrupt waits for the creation under way before cleaning up.
      const setUp = fixtures.setUp();
      runtime.inFlight.add(setUp);
      await setUp;
    }
    // The first answers have come: what the rest takes at the limits they show.
    log(
      `At the limits seen so far that takes about ${approximateDuration(pacer.estimateMs(Math.max(0, planned - pacer.stats.sent)))} (${describeLimits(pacer)}).`,
    );
    proxy = await startProxy(target.address, { pacer, send, timeoutMs: settings.target.requestTimeoutMs }, target.runTokens);
    redact.add(proxy.runKey);
    if (!runtime.stopping) {
      await runDredd({
        endpoint: proxy.endpoint,
        headers: [proxy.dreddHeader],
        specPath,
        // Dredd waits for the proxy, which waits for the pacer first.
        requestTimeoutMs: MAX_WAIT_MS + settings.target.requestTimeoutMs,
        onResult: (result) => {
          results.push(result);
          log(progressLine(result, skipReasons.get(result.id)));
        },
      });
      if (!hooks.registered()) throw new Error("Dredd did not load the contract hooks");
      const lost = target.lost?.();
      if (lost) throw new ContractTargetError(lost);
    }
  } catch (error) {
    abortedBy = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    clearTimeout(expiryTimer);
    hooks.withdraw();
    await finish();
    removeSignalHandlers();
  }

  for (const line of summaryLines(results, skipReasons)) log(line);
  if (runtime.stopReason) {
    log(
      `The run stopped: ${runtime.stopReason}, after ${results.filter((r) => r.status !== "skip").length} transaction(s). Use client credentials (AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET), which the run renews for as long as it takes, or a token that lasts longer.`,
    );
  }
  for (const line of driftSummaryLines(drift.all(), settings.failOnDrift)) log(line);
  log(requestsLine(pacer.stats));
  if (cleanup.failures.length > 0) {
    log(`Cleanup left ${cleanup.failures.length} resource(s) behind (run with --cleanup to retry):`);
    for (const failure of cleanup.failures) log(`  ${failure}`);
  }
  const counts = countResults(results);
  return {
    runId,
    target: target.baseUrl,
    results,
    counts,
    skipReasons,
    cleanupFailures: cleanup.failures,
    removed: cleanup.removed,
    requests: { ...pacer.stats },
    sentRequests: [...pacer.record],
    drift: drift.all(),
    ok: counts.failed === 0 && counts.total > 0 && !runtime.stopReason && !(settings.failOnDrift && drift.fresh().length > 0),
  };
}

interface SignalSettings {
  exit: (code: number) => void;
  finish: (interruption?: string) => Promise<void>;
  log: (line: string) => void;
  stopCleanup: () => void;
  /** The command that finishes an interrupted clean-up; none for a throw-away target. */
  cleanupHint?: string;
}

/**
 * On SIGINT/SIGTERM or an uncaught error: clean up, then exit (130/143/1) through `settings.exit`. A second signal during the clean-up
 * stops at once and says how to finish it.
 */
function installSignalHandlers(settings: SignalSettings): () => void {
  let cleaningUp = false;
  const exitAfterCleanup = (code: number, why: string) => () => {
    if (cleaningUp) {
      settings.stopCleanup();
      settings.log(`\n${why} again: clean-up stopped.${settings.cleanupHint ? ` Finish it with: ${settings.cleanupHint}` : ""}`);
      settings.exit(code);
      return;
    }
    cleaningUp = true;
    settings.log(`\n${why}: removing the run's resources before exiting… (${why === "Interrupted" ? "Ctrl-C" : "the signal"} again stops the clean-up)`);
    void settings.finish(why === "Aborting" ? "the run aborted on an unexpected error" : `the run was ${why.toLowerCase()}`).finally(() => settings.exit(code));
  };
  const onSigint = exitAfterCleanup(130, "Interrupted");
  const onSigterm = exitAfterCleanup(143, "Terminated");
  const onUncaught = (error: unknown) => {
    settings.log(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    exitAfterCleanup(1, "Aborting")();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  return () => {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
  };
}

/** `contract --cleanup`: delete what interrupted runs against this target left behind (only what is still theirs). */
export async function cleanupLeftovers(options: ContractOptions = {}): Promise<CleanupOutcome> {
  const { redact, log } = redactedOutput(options);
  if (!options.live && !options.baseUrl) {
    // Started for each run and gone after it: nothing can be left behind, so nothing is started to look.
    log(`Nothing to remove: ${options.target === "prism" ? "Prism (mock of the bundled spec)" : "the embedded emulator"} keeps no state between runs.`);
    return emptyOutcome();
  }
  const journalDir = options.journalDir ?? DEFAULT_JOURNAL_DIR;
  checkJournalDir(journalDir);
  const plan = settleTarget(options);
  const pacer = new Pacer({ maxRps: options.maxRps, log });
  const send = confinedFetch(plan.destination, plan.requestTimeoutMs);
  const target: Target = await resolveTarget(plan, { send, pacer, onToken: (token) => redact.add(token) });
  try {
    await target.checkReachable();
    // A killed run may have left a forced status on an emulator; it must not hit the clean-up.
    await target.dropLeftoverFaults?.().catch(() => {});
    const finders: LeftoverFinder[] = leftoverJournals(journalDir, target.baseUrl).map(journalFinder);
    // Runs whose journal is lost (a CI runner gone with it): found on the target by name, only when asked for an age.
    if (options.olderThanMs !== undefined)
      finders.push(staleByNameFinder(target.api, { olderThanMs: options.olderThanMs, marker: RunMarker.fromClientSecret(options.clientSecret) }));
    const outcome = await removeLeftovers(target.api, finders, { log });
    if (outcome.removed.length === 0 && outcome.leftAlone.length === 0 && outcome.failures.length === 0) {
      const byName =
        options.olderThanMs === undefined ? "" : ` and nothing on it is named ${RUN_NAME_PREFIX}… by a run older than ${formatDuration(options.olderThanMs)}`;
      log(`Nothing to remove from ${target.baseUrl}: no interrupted run against it is journaled in ${journalDir}${byName}.`);
    } else if (outcome.removed.length === 0) log(`Removed nothing from ${target.baseUrl}.`);
    else logOutcome(log, outcome, target.baseUrl);
    for (const failure of outcome.failures) log(`  could not remove: ${failure}`);
    return outcome;
  } finally {
    await target.close();
  }
}
