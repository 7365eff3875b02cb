/**
 * `npm run bench [-- --quick] [--no-test-suite] [--output FILE]`: runs every benchmark and writes BENCHMARKS.md.
 * Parses arguments only; src/tooling/bench does the work.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exitWithUsageError, parseCommandLine } from "../src/shared/command-line.js";
import { measureRealTenant, renderRealTenant, spliceRealTenant } from "../src/tooling/bench/real-tenant.js";
import { benchSettings, PROJECT_ROOT, readReport, runBenchmarks, writeReport } from "../src/tooling/bench/run.js";

const USAGE = `Usage: npm run bench -- [options]

  --quick           a fast smoke run (a minute or so); writes reports/BENCHMARKS.quick.md unless --output is given
  --no-test-suite   do not time the whole npm test (it takes a couple of minutes)
  --output FILE     where to write the report (default BENCHMARKS.md); the raw figures go to reports/benchmarks.json
  --render FILE     write the report again from the raw figures of an earlier run, without measuring
  --only real-tenant  measure only section 8 (the contract run under a tenant's rate limit) and put it into the
                    report in place, leaving the other sections as they are
  -h, --help        show this help`;

const values = parseCommandLine("bench", USAGE, {
  quick: { type: "boolean", default: false },
  "no-test-suite": { type: "boolean", default: false },
  output: { type: "string" },
  render: { type: "string" },
  only: { type: "string" },
});

if (values.only !== undefined && values.only !== "real-tenant") exitWithUsageError("bench", `unknown --only '${values.only}' (expected real-tenant)`, USAGE);
const output = path.resolve(values.output ?? path.join(PROJECT_ROOT, values.quick ? "reports/BENCHMARKS.quick.md" : "BENCHMARKS.md"));
const jsonFile = path.join(PROJECT_ROOT, "reports", values.quick ? "benchmarks.quick.json" : "benchmarks.json");
if (values.only === "real-tenant") {
  const settings = benchSettings(values.quick, false);
  const measuredAt = new Date();
  const results = await measureRealTenant(PROJECT_ROOT, settings.realTenantLimits, console.log);
  const current = existsSync(output) ? readFileSync(output, "utf8") : "# Benchmarks\n";
  writeFileSync(output, spliceRealTenant(current, renderRealTenant(results, measuredAt)));
  console.log(`Updated section 6 of ${path.relative(process.cwd(), output) || output}`);
  process.exit(results.every((r) => r.passed) ? 0 : 1);
}
const report = values.render ? readReport(path.resolve(values.render)) : await runBenchmarks(benchSettings(values.quick, !values["no-test-suite"]));
writeReport(report, output, values.render ? path.resolve(values.render) : jsonFile);
console.log(`Wrote ${path.relative(process.cwd(), output) || output}`);
