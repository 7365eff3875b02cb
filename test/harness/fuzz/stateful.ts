/**
 * Model-based fuzzing of the whole API: fast-check generates sequences of valid and invalid calls, runs each
 * sequence against a fresh in-process emulator beside the reference model, and shrinks any failing sequence to a
 * short one. Every answer is also held to the spec (status, body, headers) and must come within a time limit.
 */
import fc from "fast-check";
import { createEmulator, type EmulatorMiddleware } from "../../../src/emulator/index.js";
import { CheckedApi } from "./checked-api.js";
import { commandArbitraries, type SystemUnderTest } from "./commands.js";
import { TenantModel } from "./model.js";
import { createResponseChecker } from "../../helpers/response-checker.js";

export interface StatefulOptions {
  runs: number;
  maxCommands: number;
  seed?: number;
  /** Links per organization in the emulator under test; small, so the limit is hit often. */
  entityLimit?: number;
  /** Stop starting new runs after this long (the current one finishes). */
  timeLimitMs?: number;
  /** Shrink a failing sequence to a short one (default true; off makes a known failure come back fast). */
  shrink?: boolean;
  /** Wrapped around the emulator under test (to check that the fuzzer notices a broken one). */
  middleware?: EmulatorMiddleware[];
}

export interface StatefulReport {
  runs: number;
  requests: number;
  invariantChecks: number;
  statuses: Record<string, number>;
  seed: number;
  failure?: string;
}

/** Two organizations and one connection of each kind, so that most commands have something system to act on. */
async function startingTenant(model: TenantModel, system: SystemUnderTest): Promise<void> {
  for (const name of ["start-org-a", "start-org-b"]) {
    const answer = await system.api.call("POST", "/organizations", { body: { name } });
    if (answer.status !== 201) throw new Error(`could not create the starting organization ${name}: ${answer.status}`);
    model.addOrg(answer.body.id as string, name);
  }
  const connections = [
    { name: "start-db", strategy: "auth0" },
    { name: "start-okta", strategy: "okta", options: { domain: "start.okta.com" } },
    { name: "start-social", strategy: "google-oauth2" },
  ];
  for (const body of connections) {
    const answer = await system.api.call("POST", "/connections", { body });
    if (answer.status !== 201) throw new Error(`could not create the starting connection ${body.name}: ${answer.status}`);
    model.addConnection(answer.body.id as string, { name: body.name, strategy: body.strategy });
  }
}

export async function runStatefulFuzz(options: StatefulOptions): Promise<StatefulReport> {
  const entityLimit = options.entityLimit ?? 4;
  const seed = options.seed ?? Date.now() % 2_147_483_647;
  const checker = createResponseChecker();
  // Every emulator in the process signs with the same key, so two tokens serve every run.
  const keyHolder = createEmulator();
  const token = await keyHolder.issueToken();
  const narrowToken = await keyHolder.issueToken({ scopes: [] });
  const totals = { runs: 0, requests: 0, invariantChecks: 0, statuses: new Map<number, number>() };

  const property = fc.asyncProperty(fc.commands(commandArbitraries(), { maxCommands: options.maxCommands, size: "large" }), async (commands) => {
    const emulator = createEmulator({ entityLimit, rateLimit: false, middleware: options.middleware });
    const api = new CheckedApi(emulator, token, checker);
    const system: SystemUnderTest = { api, emulator, narrowToken, invariantChecks: { value: 0 } };
    try {
      const model = new TenantModel(entityLimit);
      await startingTenant(model, system);
      // fast-check calls the system under test "real".
      await fc.asyncModelRun(() => ({ model, real: system }), commands);
    } finally {
      totals.runs += 1;
      totals.requests += api.requests;
      totals.invariantChecks += system.invariantChecks.value;
      for (const [status, count] of api.statuses) totals.statuses.set(status, (totals.statuses.get(status) ?? 0) + count);
    }
  });

  const details = await fc.check(property, {
    numRuns: options.runs,
    seed,
    interruptAfterTimeLimit: options.timeLimitMs,
    endOnFailure: options.shrink === false,
    skipAllAfterTimeLimit: options.timeLimitMs,
  });
  const report: StatefulReport = {
    runs: totals.runs,
    requests: totals.requests,
    invariantChecks: totals.invariantChecks,
    statuses: Object.fromEntries([...totals.statuses].sort(([a], [b]) => a - b).map(([s, c]) => [String(s), c])),
    seed,
  };
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? "");
    report.failure = `${cause}\n${fc.defaultReportMessage(details) ?? "the property failed"}`;
  }
  return report;
}
