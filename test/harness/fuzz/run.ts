/**
 * `npm run fuzz`: the robustness checks in one run — model-based fuzzing of the whole API in-process, the
 * bad-input cases over HTTP, generated hostile input over HTTP (issue 13), and load with faults over HTTP — with
 * their counts. The short settings are what `npm test` runs (test/robustness).
 */
import { runBadInputSuite, type BadInputReport } from "./bad-input.js";
import { type HostileOptions, type HostileReport, runHostileInputSuite } from "./hostile-input.js";
import { type LoadOptions, type LoadReport, runLoadWithFaults } from "./load.js";
import { runStatefulFuzz, type StatefulOptions, type StatefulReport } from "./stateful.js";

export interface FuzzSettings {
  stateful: StatefulOptions;
  load: LoadOptions;
  loadSeed: number;
  hostile: HostileOptions;
}

/** `short` is the version in `npm test` (a few seconds); the default is the full run of `npm run fuzz`. */
export function fuzzSettings(short: boolean, seed = Date.now() % 2_147_483_647): FuzzSettings {
  const load: LoadOptions = {
    clients: 50,
    durationMs: short ? 1_000 : 10_000,
    rateLimit: { limit: 300, windowMs: 1_000 },
    serverErrorFraction: 0.05,
    dropFraction: 0.03,
    sharedConnections: 8,
    operationsPerClient: short ? { min: 4, max: 200 } : { min: 4, max: 5_000 },
  };
  return {
    stateful: short ? { runs: 60, maxCommands: 30, seed, timeLimitMs: 40_000 } : { runs: 1_500, maxCommands: 60, seed, timeLimitMs: 180_000 },
    load,
    loadSeed: seed,
    hostile: { generated: short ? 150 : 2_000, seed },
  };
}

export interface FuzzReport {
  stateful: StatefulReport;
  badInput: BadInputReport;
  hostile: HostileReport;
  load: LoadReport;
  failures: string[];
}

export async function runFuzz(settings: FuzzSettings, log: (line: string) => void = console.log): Promise<FuzzReport> {
  log(
    `Model-based fuzzing (seed ${settings.stateful.seed ?? "random"}): up to ${settings.stateful.runs} sequences of up to ${settings.stateful.maxCommands} calls…`,
  );
  const stateful = await runStatefulFuzz(settings.stateful);
  log(
    `  ${stateful.runs} sequences, ${stateful.requests} requests, ${stateful.invariantChecks} invariant checks; statuses ${JSON.stringify(stateful.statuses)}`,
  );

  log("Bad input over HTTP…");
  const badInput = await runBadInputSuite();
  log(
    `  ${badInput.cases} cases (${badInput.byExpectation.rejected} rejected with a 4xx, ${badInput.byExpectation.harmless} harmless, ${badInput.byExpectation.accepted} accepted as the spec allows)`,
  );
  for (const [category, count] of Object.entries(badInput.byCategory)) log(`    ${category}: ${count}`);

  log(`Hostile input over HTTP (seed ${settings.hostile.seed}): nesting, number spellings, encodings, header sizes, admin access…`);
  const hostile = await runHostileInputSuite(settings.hostile);
  log(
    `  ${hostile.inputs} hostile inputs (${Object.entries(hostile.byFamily)
      .map(([family, count]) => `${family} ${count}`)
      .join(", ")}): ` +
      `${hostile.rejected} answered 4xx in Auth0's error shape (the OAuth shape on /oauth/token), ${hostile.serverErrors} × 5xx, ${hostile.crashes} crashes, state ${hostile.stateUnchanged ? "unchanged" : "CHANGED"}`,
  );

  log(
    `Load with faults: ${settings.load.clients} clients for ${settings.load.durationMs / 1000} s, ${settings.load.rateLimit.limit} requests per ${settings.load.rateLimit.windowMs} ms, ${settings.load.serverErrorFraction * 100}% 503s, ${settings.load.dropFraction * 100}% dropped connections…`,
  );
  const load = await runLoadWithFaults(settings.load, settings.loadSeed);
  log(
    `  ${load.operations} operations, ${load.requests} requests in ${(load.wallMs / 1000).toFixed(1)} s; retries ${JSON.stringify(load.retries)}; ` +
      `seen: ${load.seen429} × 429, ${load.seen503} × 503, ${load.dropped} dropped; ${load.uncertain} uncertain outcomes read back; ${load.gaveUp} calls given up; ` +
      `${load.connectionsCreated} connections created, ${load.linksAtEnd} links at the end`,
  );

  const failures = [
    ...(stateful.failure ? [`model-based fuzzing: ${stateful.failure}`] : []),
    ...badInput.failures,
    ...hostile.failures.map((f) => `hostile input: ${f}`),
    ...load.failures.map((f) => `load: ${f}`),
  ];
  return { stateful, badInput, hostile, load, failures };
}
