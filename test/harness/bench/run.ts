/**
 * `npm run bench`: every comparison of issue 7 in one run, then BENCHMARKS.md. The load generators (autocannon,
 * the clients) run in this process and every server in its own, because the machine has two cores and a shared
 * event loop would measure the generator as much as the server.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AlternateOptions, ContenderResult } from "./alternate.js";
import { measureClientOverhead } from "./client-overhead.js";
import { benchSeed, LARGE_TENANT_LINKS, LIST_PATH } from "./fixture.js";
import { measureInProcess } from "./in-process.js";
import { currentLoad, describeMachine, type MachineInfo } from "./machine.js";
import { measurePagination, type PaginationResult } from "./pagination.js";
import { handWrittenPart, renderReport } from "./report.js";
import { measureRealTenant, type RealTenantResult } from "./real-tenant.js";
import { measureRoundTrips } from "./round-trip.js";
import { type BenchServer, startChildServer, startPrism } from "./servers.js";
import { workspacePackages } from "../../helpers/shared-build.js";
import { type InstallSize, measureInstallSize } from "./install-size.js";
import { buildAndMeasureStartup, type StartupResult } from "./startup.js";
import { type ContractTimes, type TestSuiteTime, timeContractRuns, timeTestSuite } from "./suite-times.js";
import { measureThroughput, type ThroughputOptions, type ThroughputResult } from "./throughput.js";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface BenchSettings {
  quick: boolean;
  clientOverhead: AlternateOptions;
  roundTrips: AlternateOptions;
  inProcess: AlternateOptions;
  throughput: ThroughputOptions;
  /** Connections of the second throughput run (how the cost grows with concurrency). */
  manyConnections: number;
  contractRounds: number;
  /** 0 skips the `npm test` timing. */
  testSuiteTimeoutMs: number;
  paginationSizes: number[];
  /** Starts of each emulator command in benchmark 6. */
  startupRounds: number;
  /** Rate limits (requests per second) of the "real tenant" runs. */
  realTenantLimits: number[];
}

/** Benchmark 7 for every package: each one's tarball installed alone into an empty project, then all of them together. */
export function measureInstallSizes(log: (line: string) => void): InstallSize[] {
  log("7. Install size: each package's tarball installed alone into an empty project, then all of them together…");
  const packages = workspacePackages();
  return [
    ...packages.map((p) => measureInstallSize([p.dir], `${p.manifest.name} (alone)`)),
    measureInstallSize(
      packages.map((p) => p.dir),
      `all ${packages.length} packages together (the whole toolkit)`,
    ),
  ];
}

export function benchSettings(quick: boolean, runTestSuite = true): BenchSettings {
  return quick
    ? {
        quick,
        clientOverhead: { warmupRounds: 1, rounds: 3, iterationsPerRound: 1_000 },
        roundTrips: { warmupRounds: 1, rounds: 3, iterationsPerRound: 200 },
        inProcess: { warmupRounds: 1, rounds: 3, iterationsPerRound: 500 },
        throughput: { connections: 10, roundSeconds: 2, rounds: 1, warmupSeconds: 1 },
        manyConnections: 100,
        contractRounds: 1,
        testSuiteTimeoutMs: 0,
        paginationSizes: [1_000, 2_000],
        startupRounds: 2,
        realTenantLimits: [50],
      }
    : {
        quick,
        clientOverhead: { warmupRounds: 3, rounds: 9, iterationsPerRound: 5_000 },
        roundTrips: { warmupRounds: 2, rounds: 9, iterationsPerRound: 1_000 },
        inProcess: { warmupRounds: 2, rounds: 9, iterationsPerRound: 2_000 },
        // Five short rounds rather than three long ones: the median then shrugs off a round disturbed by other work.
        throughput: { connections: 10, roundSeconds: 4, rounds: 5, warmupSeconds: 3 },
        manyConnections: 100,
        contractRounds: 2,
        testSuiteTimeoutMs: runTestSuite ? 600_000 : 0,
        paginationSizes: [1_000, 5_000, 10_000],
        startupRounds: 7,
        realTenantLimits: [2, 10, 50],
      };
}

export interface BenchmarkReport {
  settings: BenchSettings;
  machine: MachineInfo;
  startedAt: Date;
  durationMs: number;
  clientOverhead: ContenderResult[];
  roundTrips: ContenderResult[];
  throughput: ThroughputResult[];
  /** The emulator and the bare server at `settings.manyConnections` connections. */
  throughputManyConnections?: ThroughputResult[];
  /** The emulator with LARGE_TENANT_LINKS links in the organization, and a bare server sending its first page. */
  throughputLargeTenant?: ThroughputResult[];
  /** Resident memory of each server process right after start-up, before any load. */
  idleRss?: Array<{ name: string; bytes: number }>;
  /** The emulator in-process against an msw handler, both through openapi-fetch. */
  inProcess?: ContenderResult[];
  contract: ContractTimes[];
  testSuite?: TestSuiteTime;
  pagination: PaginationResult[];
  /** Absent in reports written before benchmarks 6 and 7 existed. */
  startup?: StartupResult[];
  installSizes?: InstallSize[];
  realTenant?: RealTenantResult[];
}

async function listBodyOf(server: BenchServer): Promise<string> {
  const response = await fetch(`${server.baseUrl}${LIST_PATH}`, { headers: { authorization: `Bearer ${server.token}` } });
  if (!response.ok) throw new Error(`the emulator answered the benchmark's list request with ${response.status}`);
  return response.text();
}

/** What benchmark 3 (with 3b) measures: the servers under load, their idle memory, and the emulator in-process. */
export type ServerSectionResults = Required<
  Pick<BenchmarkReport, "throughput" | "throughputManyConnections" | "throughputLargeTenant" | "idleRss" | "inProcess">
>;

/**
 * Benchmark 3 on its own servers (`npm run bench` and `--only throughput`): the emulator, a bare server sending its
 * bytes and Prism at `settings.throughput.connections` connections, the emulator and the bare server at
 * `settings.manyConnections`, a second pair with LARGE_TENANT_LINKS links, then 3b in-process.
 */
export async function measureServerSection(settings: BenchSettings, log: (line: string) => void): Promise<ServerSectionResults> {
  const servers: BenchServer[] = [];
  try {
    log("3. Throughput with autocannon: emulator, bare node:http, Prism…");
    const emulator = await startChildServer("emulator", { kind: "emulator", options: { seed: benchSeed() } });
    servers.push(emulator);
    const bare = await startChildServer("bare node:http", { kind: "bare", body: await listBodyOf(emulator) });
    servers.push(bare);
    const idleRss = [
      { name: emulator.name, bytes: await emulator.rss() },
      { name: bare.name, bytes: await bare.rss() },
    ];
    const prism = await startPrism();
    servers.push(prism);
    const throughput = await measureThroughput([emulator, bare, prism], settings.throughput, log);
    log(`   …at ${settings.manyConnections} connections: emulator, bare node:http…`);
    const throughputManyConnections = await measureThroughput([emulator, bare], { ...settings.throughput, connections: settings.manyConnections }, log);
    for (const server of servers.splice(0)) await server.stop();

    log(`   …with ${LARGE_TENANT_LINKS.toLocaleString("en-US")} links in the organization: emulator, bare node:http…`);
    const largeEmulator = await startChildServer("emulator", {
      kind: "emulator",
      options: { seed: benchSeed(LARGE_TENANT_LINKS), entityLimit: LARGE_TENANT_LINKS },
    });
    servers.push(largeEmulator);
    const largeBare = await startChildServer("bare node:http", { kind: "bare", body: await listBodyOf(largeEmulator) });
    servers.push(largeBare);
    const throughputLargeTenant = await measureThroughput([largeEmulator, largeBare], settings.throughput, log);
    for (const server of servers.splice(0)) await server.stop();

    log("3b. In-process: emulator.fetch vs an msw handler, both through openapi-fetch…");
    const inProcess = await measureInProcess(settings.inProcess);
    return { throughput, throughputManyConnections, throughputLargeTenant, idleRss, inProcess };
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** Benchmark 4 (`npm run bench` and `--only runs`): contract runs, emulator against Prism, then the whole `npm test`. */
export async function measureRuns(settings: BenchSettings, log: (line: string) => void): Promise<{ contract: ContractTimes[]; testSuite?: TestSuiteTime }> {
  log("4. Contract runs (npm run contract, emulator vs Prism)…");
  const contract = await timeContractRuns(PROJECT_ROOT, settings.contractRounds, log);
  if (settings.testSuiteTimeoutMs <= 0) return { contract };
  log("   npm test (the whole suite, as a child process)…");
  const testSuite = await timeTestSuite(PROJECT_ROOT, settings.testSuiteTimeoutMs);
  log(`   npm test: ${(testSuite.wallMs / 1000).toFixed(1)} s, ${testSuite.passed ? "passed" : "FAILED"}`);
  return { contract, testSuite };
}

export async function runBenchmarks(settings: BenchSettings, log: (line: string) => void = console.log): Promise<BenchmarkReport> {
  const startedAt = new Date();
  const machine = describeMachine(PROJECT_ROOT);
  const servers: BenchServer[] = [];
  try {
    log("Starting the emulator (own process)…");
    const emulator = await startChildServer("emulator", { kind: "emulator", options: { seed: benchSeed() } });
    servers.push(emulator);
    const listBody = await listBodyOf(emulator);

    log("1. Client overhead with a stubbed fetch…");
    const clientOverhead = await measureClientOverhead(listBody, settings.clientOverhead);
    log("2. Round trips to the emulator over keep-alive…");
    const roundTrips = await measureRoundTrips(emulator, settings.roundTrips);

    for (const server of servers.splice(0)) await server.stop();
    const { throughput, throughputManyConnections, throughputLargeTenant, idleRss, inProcess } = await measureServerSection(settings, log);

    const { contract, testSuite } = await measureRuns(settings, log);

    log("5. Pagination with paginate()…");
    const pagination = await measurePagination(settings.paginationSizes, log);

    log("6. Emulator start-up: auth0-emulator (after npm run build) vs npm run emulator…");
    const startup = await buildAndMeasureStartup(PROJECT_ROOT, settings.startupRounds);
    const installSizes = measureInstallSizes(log);

    log("8. A real tenant: the contract run under a rate limit with 150 ms answers…");
    const realTenant = await measureRealTenant(PROJECT_ROOT, settings.realTenantLimits, log);

    machine.loadAtEnd = currentLoad();
    return {
      settings,
      machine,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      clientOverhead,
      roundTrips,
      throughput,
      throughputManyConnections,
      throughputLargeTenant,
      idleRss,
      inProcess,
      contract,
      testSuite,
      pagination,
      startup,
      installSizes,
      realTenant,
    };
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** Writes the markdown report, and the raw figures as JSON beside it (`--render` can redo the markdown from them). */
/** Where the hand-written findings live: the project's BENCHMARKS.md, whichever file a run writes to. */
const HAND_WRITTEN_SOURCE = path.join(PROJECT_ROOT, "BENCHMARKS.md");

export function writeReport(report: BenchmarkReport, file: string, jsonFile: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  mkdirSync(path.dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  const handWritten = handWrittenPart(existsSync(HAND_WRITTEN_SOURCE) ? readFileSync(HAND_WRITTEN_SOURCE, "utf8") : "");
  writeFileSync(file, handWritten ? `${renderReport(report).trimEnd()}\n\n${handWritten}` : renderReport(report));
}

export function readReport(jsonFile: string): BenchmarkReport {
  const raw = JSON.parse(readFileSync(jsonFile, "utf8")) as BenchmarkReport & { startedAt: string };
  return { ...raw, startedAt: new Date(raw.startedAt) };
}
