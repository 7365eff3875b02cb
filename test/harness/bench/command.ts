/** `npm run bench [-- --quick] [--no-test-suite] [--output FILE] [--render FILE] [--only real-tenant|startup]`: every benchmark, then BENCHMARKS.md. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type CommandIo, consoleIo, runCommand, UsageError } from "../../../src/shared/command-line.js";
import { measureRealTenant, renderRealTenant, spliceRealTenant } from "./real-tenant.js";
import { spliceSection, STARTUP_HEADING, startupSection } from "./report.js";
import { benchSettings, PROJECT_ROOT, readReport, runBenchmarks, writeReport } from "./run.js";
import { buildAndMeasureStartup } from "./startup.js";

const BENCH = {
  name: "bench",
  usage: `Usage: npm run bench -- [options]

  --quick           a fast smoke run (a minute or so); writes reports/BENCHMARKS.quick.md unless --output is given
  --no-test-suite   do not time the whole npm test (it takes a couple of minutes)
  --output FILE     where to write the report (default BENCHMARKS.md); the raw figures go to reports/benchmarks.json
  --render FILE     write the report again from the raw figures of an earlier run, without measuring
  --only real-tenant  measure only the real-tenant section (the contract run under a tenant's rate limit) and put it
                    into the report in place, leaving the other sections as they are
  --only startup    the same for the emulator start-up section (builds first: auth0-emulator runs dist/)
  -h, --help        show this help`,
  options: {
    quick: { type: "boolean", default: false },
    "no-test-suite": { type: "boolean", default: false },
    output: { type: "string" },
    render: { type: "string" },
    only: { type: "string" },
  },
} as const;

export function benchCommand(argv: readonly string[], io: CommandIo = consoleIo): Promise<number> {
  return runCommand(BENCH, argv, async (values) => {
    const output = path.resolve(values.output ?? path.join(PROJECT_ROOT, values.quick ? "reports/BENCHMARKS.quick.md" : "BENCHMARKS.md"));
    const jsonFile = path.join(PROJECT_ROOT, "reports", values.quick ? "benchmarks.quick.json" : "benchmarks.json");
    if (values.only !== undefined && values.only !== "real-tenant" && values.only !== "startup") throw new UsageError(`unknown --only '${values.only}' (expected real-tenant or startup)`);
    const current = () => (existsSync(output) ? readFileSync(output, "utf8") : "# Benchmarks\n");
    if (values.only === "startup") {
      const measuredAt = new Date();
      const results = await buildAndMeasureStartup(PROJECT_ROOT, benchSettings(values.quick, false).startupRounds);
      writeFileSync(output, spliceSection(current(), STARTUP_HEADING, startupSection(results, measuredAt)));
      io.out(`Updated the start-up section of ${path.relative(process.cwd(), output) || output}`);
      return 0;
    }
    if (values.only === "real-tenant") {
      const settings = benchSettings(values.quick, false);
      const measuredAt = new Date();
      const results = await measureRealTenant(PROJECT_ROOT, settings.realTenantLimits, io.out);
      writeFileSync(output, spliceRealTenant(current(), renderRealTenant(results, measuredAt)));
      io.out(`Updated the real-tenant section of ${path.relative(process.cwd(), output) || output}`);
      return results.every((result) => result.passed) ? 0 : 1;
    }
    const report = values.render ? readReport(path.resolve(values.render)) : await runBenchmarks(benchSettings(values.quick, !values["no-test-suite"]), io.out);
    writeReport(report, output, values.render ? path.resolve(values.render) : jsonFile);
    io.out(`Wrote ${path.relative(process.cwd(), output) || output}`);
  }, io);
}
