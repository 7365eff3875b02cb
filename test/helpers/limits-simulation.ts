/**
 * A contract run's requests against the emulator's rate limits, in simulated time: the real Pacer (with its
 * learner) sends the requests one after another through the emulator's real limiter, with latency before the
 * limiter (a proxy that spends it before forwarding) and after it (before the answer arrives). No socket and no
 * sleeping, so a run at a free tenant's pace takes milliseconds. Beside it, the all-knowing bound: the same
 * requests in the same order, each sent the moment every bucket it draws on has room.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Pacer } from "../../src/contract/pacer.js";
import type { EmulatorClock } from "../../src/emulator/limits/clock.js";
import { type LimitsOption, TenantLimiter } from "../../src/emulator/limits/limiter.js";
import { limiterSettings } from "../../src/emulator/rate-limit.js";
import { PROJECT_ROOT } from "./project.js";

export interface SimulationSettings {
  limits: LimitsOption;
  latencyBeforeMs: number;
  latencyAfterMs: number;
  /**
   * Up to this much more latency, before the tenant's clock and after it, different for every request (a fixed
   * pseudo-random sequence, so a run is repeatable). Default 0: the latency is the same for every request.
   */
  jitterMs?: number;
  /** Operations (`GET /organizations/{id}`) in the order sent. Default: a recorded contract run. */
  operations?: string[];
}

export interface SimulationResult {
  requests: number;
  refused: number;
  elapsedMs: number;
  boundMs: number;
  /** boundMs / elapsedMs: 1 is as fast as a client that knew every bucket. */
  ratio: number;
}

/**
 * Contract runs recorded against the embedded emulator, each its operations in the order sent. The second was
 * recorded after the learner had been tuned on the first, and its order showed refusals the first did not.
 */
export const RECORDED_RUNS = {
  "an earlier run": "contract-run-operations.json",
  "a run of 2026-12-06": "contract-run-operations-2026-12-06.json",
} as const;

export type RecordedRun = keyof typeof RECORDED_RUNS;

export function recordedOperations(run: RecordedRun = "an earlier run"): string[] {
  return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, "test/fixtures/limits", RECORDED_RUNS[run]), "utf8")) as { operations: string[] }).operations;
}

export function simulatedClock(time: { now: number }): EmulatorClock {
  return { now: () => time.now, advance: (ms) => void (time.now += ms), offsetMs: 0 };
}

/**
 * How a real run spent the time around each request: the run's own work before handing it over (`thinkMs`, from the
 * previous answer), and whether a fault rule answered it before the limiter (`forced`: it draws on no bucket).
 */
export interface RequestTiming {
  thinkMs: number;
  forced: boolean;
}

/**
 * The time a client that knew every bucket needs for these requests, in this order, one at a time — with `timings`,
 * also taking the run's own time between requests and sending the forced ones without waiting.
 */
export function allKnowingMs(settings: SimulationSettings, operations: string[], timings?: RequestTiming[]): number {
  const time = { now: 1_800_000_000_000 };
  const start = time.now;
  const limiter = new TenantLimiter(limiterSettings({ limits: settings.limits }), simulatedClock(time));
  operations.forEach((operation, index) => {
    const timing = timings?.[index];
    time.now += timing?.thinkMs ?? 0;
    time.now += settings.latencyBeforeMs;
    if (!timing?.forced) {
      // On an epoch clock (about 1.8e12 ms) adding a fraction of a millisecond rounds, and a refill can fall short of
      // a whole request by a hair: the wait is repeated (at least a microsecond) until the limiter has room.
      for (let tries = 0; limiter.msUntilRoom(operation) > 0; tries += 1) {
        if (tries > 100) throw new Error(`the all-knowing client found no room for ${operation}`);
        time.now += Math.max(limiter.msUntilRoom(operation), 0.001);
      }
      if (!limiter.take(operation).allowed) throw new Error(`the all-knowing client was refused ${operation}`);
    }
    time.now += settings.latencyAfterMs;
  });
  return time.now - start;
}

/** Extra latencies from 0 to `most` ms, whole ms, the same sequence every run (a linear congruential generator). */
function jitterSequence(most: number): () => number {
  let state = 1;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.round((state / 2 ** 31) * most);
  };
}

export async function simulatePacedRun(settings: SimulationSettings): Promise<SimulationResult> {
  const operations = settings.operations ?? recordedOperations();
  const time = { now: 1_800_000_000_000 };
  const limiter = new TenantLimiter(limiterSettings({ limits: settings.limits }), simulatedClock(time));
  const pacer = new Pacer({ now: () => time.now, sleep: async (ms) => void (time.now += ms), max429Retries: 20 });
  let refused = 0;
  const start = time.now;
  const jitter = jitterSequence(settings.jitterMs ?? 0);
  for (const operation of operations) {
    await pacer.send({
      label: operation,
      key: operation,
      send: async () => {
        time.now += settings.latencyBeforeMs + jitter();
        const decision = limiter.take(operation);
        time.now += settings.latencyAfterMs + jitter();
        if (!decision.allowed) refused += 1;
        return new Response(null, { status: decision.allowed ? 200 : 429, headers: decision.headers });
      },
    });
  }
  const elapsedMs = time.now - start;
  const boundMs = allKnowingMs(settings, operations);
  return { requests: pacer.stats.sent, refused, elapsedMs, boundMs, ratio: boundMs / elapsedMs };
}
