/**
 * `npm run fuzz [-- --short] [--seed N]`: model-based fuzzing, bad input and load with faults against the emulator.
 * Prints the counts; exits 1 on any failure. Parses arguments only; test/harness/fuzz does the work.
 */
import { exitWithUsageError, parseCommandLine } from "../src/shared/command-line.js";
import { fuzzSettings, runFuzz } from "../test/harness/fuzz/run.js";

const USAGE = `Usage: npm run fuzz -- [options]

  --short       the few-second version that npm test runs
  --seed <n>    repeat a run (the seed is printed at the start of every run)
  -h, --help    show this help`;

const values = parseCommandLine("fuzz", USAGE, { short: { type: "boolean", default: false }, seed: { type: "string" } });
if (values.seed !== undefined && !/^\d{1,9}$/.test(values.seed)) exitWithUsageError("fuzz", `--seed must be a whole number, not "${values.seed}"`, USAGE);

const report = await runFuzz(fuzzSettings(values.short, values.seed === undefined ? undefined : Number(values.seed)));
if (report.failures.length > 0) {
  console.error(`\n${report.failures.length} failure(s):`);
  for (const failure of report.failures) console.error(`- ${failure}`);
  process.exitCode = 1;
} else {
  console.log("\nNo failures.");
}
