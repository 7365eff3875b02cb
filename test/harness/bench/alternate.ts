/**
 * Runs two or more contenders against each other fairly: all in the same process, warmed up first, then in
 * alternating rounds (the order rotates every round so no side always runs first, right after a GC or a JIT
 * tier-up of the other), each round timing a fixed number of operations. The figure kept is the median of the
 * rounds' operations per second, which shrugs off the odd round a background task disturbed.
 */
import { performance } from "node:perf_hooks";
import { median } from "./stats.js";

export interface Contender {
  name: string;
  /** Performs `iterations` operations, one after another. */
  run(iterations: number): Promise<void>;
}

export interface AlternateOptions {
  /** Rounds thrown away before measuring. */
  warmupRounds: number;
  rounds: number;
  iterationsPerRound: number;
}

export interface ContenderResult {
  name: string;
  /** Operations per second of each measured round. */
  samples: number[];
  medianOpsPerSecond: number;
}

export async function runAlternating(contenders: readonly Contender[], options: AlternateOptions): Promise<ContenderResult[]> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const total = options.warmupRounds + options.rounds;
  for (let round = 0; round < total; round += 1) {
    for (let k = 0; k < contenders.length; k += 1) {
      const contender = contenders[(round + k) % contenders.length] as Contender;
      const started = performance.now();
      await contender.run(options.iterationsPerRound);
      const seconds = (performance.now() - started) / 1000;
      if (round >= options.warmupRounds) samples.get(contender.name)?.push(options.iterationsPerRound / seconds);
    }
  }
  return contenders.map((c) => {
    const own = samples.get(c.name) ?? [];
    return { name: c.name, samples: own, medianOpsPerSecond: median(own) };
  });
}
