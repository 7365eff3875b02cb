/**
 * `npm run bench [-- --quick] [--no-test-suite] [--output FILE]`: runs every benchmark and writes BENCHMARKS.md.
 * Parses arguments only; test/harness/bench does the work.
 */
import path from "node:path";
import { parseCommandLine } from "../src/shared/command-line.js";
import { benchSettings, PROJECT_ROOT, readReport, runBenchmarks, writeReport } from "../test/harness/bench/run.js";

const USAGE = `Usage: npm run bench -- [options]

  --quick           a fast smoke run (a minute or so); writes reports/BENCHMARKS.quick.md unless --output is given
  --no-test-suite   do not time the whole npm test (it takes a couple of minutes)
  --output FILE     where to write the report (default BENCHMARKS.md); the raw figures go to reports/benchmarks.json
  --render FILE     write the report again from the raw figures of an earlier run, without measuring
  -h, --help        show this help`;

const values = parseCommandLine("bench", USAGE, {
  quick: { type: "boolean", default: false },
  "no-test-suite": { type: "boolean", default: false },
  output: { type: "string" },
  render: { type: "string" },
});

const output = path.resolve(values.output ?? path.join(PROJECT_ROOT, values.quick ? "reports/BENCHMARKS.quick.md" : "BENCHMARKS.md"));
const jsonFile = path.join(PROJECT_ROOT, "reports", values.quick ? "benchmarks.quick.json" : "benchmarks.json");
const report = values.render ? readReport(path.resolve(values.render)) : await runBenchmarks(benchSettings(values.quick, !values["no-test-suite"]));
writeReport(report, output, values.render ? path.resolve(values.render) : jsonFile);
console.log(`Wrote ${path.relative(process.cwd(), output) || output}`);
