/**
 * `npm run fuzz [-- --short] [--seed N]`: model-based fuzzing, bad input and load with faults against the emulator.
 * Prints the counts; exits 1 on any failure. Parses arguments only; src/tooling/fuzz does the work.
 */
import { parseArgs } from "node:util";
import { fuzzSettings, runFuzz } from "../src/tooling/fuzz/run.js";

const USAGE = `Usage: npm run fuzz -- [options]

  --short       the few-second version that npm test runs
  --seed <n>    repeat a run (the seed is printed at the start of every run)
  -h, --help    show this help`;

let values;
try {
  ({ values } = parseArgs({
    options: { short: { type: "boolean", default: false }, seed: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.seed !== undefined && !/^\d{1,9}$/.test(values.seed)) {
  console.error(`--seed must be a whole number, not "${values.seed}"`);
  process.exit(2);
}

const report = await runFuzz(fuzzSettings(values.short, values.seed === undefined ? undefined : Number(values.seed)));
if (report.failures.length > 0) {
  console.error(`\n${report.failures.length} failure(s):`);
  for (const failure of report.failures) console.error(`- ${failure}`);
  process.exitCode = 1;
} else {
  console.log("\nNo failures.");
}
