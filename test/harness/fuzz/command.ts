/**
 * `npm run fuzz [-- --short] [--seed N]`: model-based fuzzing, bad input and load with faults against the emulator.
 * Prints the counts; exits 1 on any failure.
 */
import { type CommandIo, consoleIo, runCommand, wholeNumberOption } from "../../../src/shared/command-line.js";
import { fuzzSettings, runFuzz } from "./run.js";

// fast-check takes any 32-bit integer as a seed, negative ones included.
const SEED_RANGE = [-(2 ** 31), 2 ** 31 - 1] as const;

const FUZZ = {
  name: "fuzz",
  usage: `Usage: npm run fuzz -- [options]

  --short       the few-second version that npm test runs
  --seed <n>    repeat a run (a whole number from ${SEED_RANGE[0]} to ${SEED_RANGE[1]}; every run prints its seed first)
  -h, --help    show this help`,
  options: { short: { type: "boolean", default: false }, seed: { type: "string" } },
} as const;

export function fuzzCommand(argv: readonly string[], io: CommandIo = consoleIo): Promise<number> {
  return runCommand(
    FUZZ,
    argv,
    async (values) => {
      const seed = values.seed === undefined ? undefined : wholeNumberOption("seed", values.seed, ...SEED_RANGE);
      const report = await runFuzz(fuzzSettings(values.short, seed), io.out);
      if (report.failures.length > 0) {
        io.err(`\n${report.failures.length} failure(s):\n${report.failures.map((failure) => `- ${failure}`).join("\n")}`);
        return 1;
      }
      io.out("\nNo failures.");
      return 0;
    },
    io,
  );
}
