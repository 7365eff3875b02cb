/** `npm run bench [-- --quick] [--no-test-suite] [--output FILE] [--render FILE] [--only SECTION]`: every benchmark, then BENCHMARKS.md. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type CommandIo, consoleIo, runCommand, UsageError } from "../../../src/shared/command-line.js";
import { measureLimits, renderLimits } from "./limits.js";
import { measureRealTenant, renderRealTenant } from "./real-tenant.js";
import { currentLoad } from "./machine.js";
import {
  installSizeSection,
  runsSection,
  runsSummaryRows,
  serverSection,
  serverSummaryRows,
  spliceSection,
  spliceSummaryRows,
  startupSection,
} from "./report.js";
import { benchSettings, measureInstallSizes, measureRuns, measureServerSection, PROJECT_ROOT, readReport, runBenchmarks, writeReport } from "./run.js";
import { buildAndMeasureStartup } from "./startup.js";

/** The sections `--only` can measure on their own. */
const ONLY_SECTIONS: readonly string[] = ["throughput", "runs", "real-tenant", "startup", "install-size", "limits"];

const BENCH = {
  name: "bench",
  usage: `Usage: npm run bench -- [options]

  --quick           a fast smoke run (a minute or so); writes reports/BENCHMARKS.quick.md unless --output is given
  --no-test-suite   do not time the whole npm test (it takes a couple of minutes)
  --output FILE     where to write the report (default BENCHMARKS.md); the raw figures go to reports/benchmarks.json
  --render FILE     write the report again from the raw figures of an earlier run, without measuring
  --only SECTION    measure only one section and put it into the report in place, leaving the others as they are:
                    throughput (section 3 with 3b, and its lines in the summary), runs (section 4: contract
                    runs and the whole npm test, and their lines), real-tenant (the contract run under a tenant's
                    rate limit), startup (the emulator's start-up; builds first: auth0-emulator
                    runs the built JavaScript), install-size (each package's install) or limits (a
                    contract run's pace against every rate-limit preset and fixed windows, and its
                    requests per transaction)
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
  return runCommand(
    BENCH,
    argv,
    async (values) => {
      const output = path.resolve(values.output ?? path.join(PROJECT_ROOT, values.quick ? "reports/BENCHMARKS.quick.md" : "BENCHMARKS.md"));
      const jsonFile = path.join(PROJECT_ROOT, "reports", values.quick ? "benchmarks.quick.json" : "benchmarks.json");
      if (values.only !== undefined && !ONLY_SECTIONS.includes(values.only))
        throw new UsageError(`unknown --only '${values.only}' (expected ${ONLY_SECTIONS.join(" or ")})`);
      if (values.only !== undefined) {
        const current = existsSync(output) ? readFileSync(output, "utf8") : "# Benchmarks\n";
        let section: string;
        let summaryRows: string[][] = [];
        let passed = true;
        if (values.only === "throughput") {
          const measuredAt = new Date();
          const loadAtStart = currentLoad();
          const settings = benchSettings(values.quick, false);
          const figures = await measureServerSection(settings, io.out);
          section = serverSection(figures, settings, { measuredAt, loadAtStart, loadAtEnd: currentLoad() });
          summaryRows = serverSummaryRows(figures);
        } else if (values.only === "runs") {
          const measuredAt = new Date();
          const loadAtStart = currentLoad();
          const settings = benchSettings(values.quick, !values["no-test-suite"]);
          const figures = await measureRuns(settings, io.out);
          section = runsSection(figures, { measuredAt, loadAtStart, loadAtEnd: currentLoad() });
          summaryRows = runsSummaryRows(figures);
          passed = figures.contract.every((run) => run.allPassed) && (figures.testSuite?.passed ?? true);
        } else if (values.only === "real-tenant") {
          const measuredAt = new Date();
          const results = await measureRealTenant(PROJECT_ROOT, benchSettings(values.quick, false).realTenantLimits, io.out);
          section = renderRealTenant(results, measuredAt);
          passed = results.every((result) => result.passed);
        } else if (values.only === "limits") {
          const measuredAt = new Date();
          const figures = await measureLimits(io.out);
          section = renderLimits(figures, measuredAt);
          passed = figures.run.failed === 0;
        } else if (values.only === "startup") {
          const measuredAt = new Date();
          section = startupSection(await buildAndMeasureStartup(PROJECT_ROOT, benchSettings(values.quick, false).startupRounds), measuredAt);
        } else {
          section = installSizeSection(measureInstallSizes(io.out));
        }
        writeFileSync(output, spliceSummaryRows(spliceSection(current, section), summaryRows));
        io.out(`Updated the ${values.only} section of ${path.relative(process.cwd(), output) || output}`);
        return passed ? 0 : 1;
      }
      const report = values.render
        ? readReport(path.resolve(values.render))
        : await runBenchmarks(benchSettings(values.quick, !values["no-test-suite"]), io.out);
      writeReport(report, output, values.render ? path.resolve(values.render) : jsonFile);
      io.out(`Wrote ${path.relative(process.cwd(), output) || output}`);
    },
    io,
  );
}
