/**
 * Benchmark 9, "rate limits": a contract run's requests (the operations of a real run against the embedded emulator,
 * in the order it sent them) through the run's real pacer and the emulator's real limiter, for every preset and for
 * fixed windows, with 150 ms of latency before the tenant's clock (a proxy that spends it before forwarding) or after
 * it. Time is simulated — the pacer's clock and waits, the limiter's clock — so a run at a free tenant's pace takes
 * milliseconds, and the figures are the pacer's own decisions, not this machine's speed. Beside each: the
 * all-knowing bound (the same requests in the same order, each sent the moment every bucket it draws on has room),
 * and the requests refused. Then one real run against the embedded emulator: requests per transaction.
 */
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { runContract } from "../../../src/contract/run.js";
import { LIMIT_PRESETS, startEmulator } from "../../../src/emulator/index.js";
import { GROUP_OPERATIONS } from "../../../src/emulator/limits/presets.js";
import type { LimitsOption } from "../../../src/emulator/limits/limiter.js";
import { BucketLearner } from "../../../src/shared/bucket-learner.js";
import { TenantLimiter } from "../../../src/emulator/limits/limiter.js";
import { limiterSettings } from "../../../src/emulator/rate-limit.js";
import {
  allKnowingMs,
  RECORDED_RUNS,
  type RecordedRun,
  recordedOperations,
  simulatedClock,
  simulatePacedRun,
  type SimulationResult,
} from "../../helpers/limits-simulation.js";
import { gcFunction } from "./pagination.js";

export const LIMITS_HEADING = "## 9. Rate limits: the contract run against Auth0's buckets";

const LATENCY_MS = 150;

/**
 * The issue's token buckets: a tenant bucket of 10 refilled at 2 a second, behind five endpoint groups (Auth0's rows,
 * as the presets map them to operations) whose headers are the ones answers carry.
 */
export const ISSUE_SHAPE = {
  tenant: { burst: 10, rate: "2/second" },
  headers: "endpoint-group",
  groups: [
    { name: "link-reads", burst: 5, rate: "50/minute", operations: [...GROUP_OPERATIONS["read-organization-connections"]] },
    { name: "link-writes", burst: 5, rate: "25/minute", operations: [...GROUP_OPERATIONS["write-organization-connections"]] },
    { name: "connection-reads", burst: 5, rate: "50/minute", operations: ["listConnections", "getConnection"] },
    { name: "organization-reads", burst: 10, rate: "100/minute", operations: ["listOrganizations", "getOrganization"] },
    { name: "organization-writes", burst: 5, rate: "150/minute", operations: [...GROUP_OPERATIONS["write-organizations"]] },
  ],
} satisfies LimitsOption;

/** Endpoint groups that share one burst, with no tenant bucket over them, from the presets' operations. */
export const SAME_BURST_GROUPS = {
  groups: [
    { name: "organization-reads", burst: 4, rate: "40/minute", operations: ["listOrganizations", "getOrganization", "getOrganizationByName"] },
    { name: "organization-writes", burst: 4, rate: "30/minute", operations: [...GROUP_OPERATIONS["write-organizations"]] },
    { name: "link-writes", burst: 4, rate: "20/minute", operations: [...GROUP_OPERATIONS["write-organization-connections"]] },
  ],
} satisfies LimitsOption;

/**
 * Tenant buckets behind the endpoint groups' headers, written after the learner met the issue's shape and not tuned
 * for: a faster tenant over small groups; a tenant of the same burst as a group, refilling at nearly its pace (answers
 * alone cannot tell the two apart); a small tenant over groups of 3.
 */
export const HIDDEN_TENANT_SHAPES: Array<[string, LimitsOption]> = [
  [
    "a tenant bucket of 8, 3 per second, behind groups of 6 and 4, group headers",
    {
      tenant: { burst: 8, rate: "3/second" },
      headers: "endpoint-group",
      groups: [
        { name: "link-reads", burst: 6, rate: "60/minute", operations: [...GROUP_OPERATIONS["read-organization-connections"]] },
        { name: "link-writes", burst: 4, rate: "30/minute", operations: [...GROUP_OPERATIONS["write-organization-connections"]] },
        { name: "organization-writes", burst: 4, rate: "120/minute", operations: [...GROUP_OPERATIONS["write-organizations"]] },
      ],
    },
  ],
  [
    "a tenant bucket of 20, 1 per second, behind organization reads of 20 (50 a minute), group headers",
    {
      tenant: { burst: 20, rate: "1/second" },
      headers: "endpoint-group",
      groups: [
        { name: "organization-reads", burst: 20, rate: "50/minute", operations: ["listOrganizations", "getOrganization"] },
        { name: "link-writes", burst: 5, rate: "40/minute", operations: [...GROUP_OPERATIONS["write-organization-connections"]] },
      ],
    },
  ],
  [
    "a tenant bucket of 5, 2 per second, behind groups of 3, group headers",
    {
      tenant: { burst: 5, rate: "2/second" },
      headers: "endpoint-group",
      groups: [
        { name: "connection-reads", burst: 3, rate: "30/minute", operations: ["listConnections", "getConnection"] },
        { name: "link-reads", burst: 3, rate: "60/minute", operations: [...GROUP_OPERATIONS["read-organization-connections"]] },
      ],
    },
  ],
];

/** The shapes measured: every preset, fixed windows, and shapes the pacer was not tuned for. */
export const LIMIT_SHAPES: Array<[string, LimitsOption]> = [
  ...Object.keys(LIMIT_PRESETS).map((name) => [`\`${name}\``, name as LimitsOption] as [string, LimitsOption]),
  ["fixed window, 2 per second", { tenant: { burst: 2, rate: "2/second", refill: "window" } }],
  ["fixed window, 10 per 5 s", { tenant: { burst: 10, rate: "10/5000ms", refill: "window" } }],
  ["the issue's shape, headers of the endpoint group", ISSUE_SHAPE],
  ["a tenant bucket of 3, one back every 700 ms", { tenant: { burst: 3, rate: "1/700ms" } }],
  // Added with the learner's assumption that latency before the tenant's clock is the same for every request.
  ["fixed window, 4 per 2.5 s", { tenant: { burst: 4, rate: "4/2500ms", refill: "window" } }],
  [
    "a tenant bucket of 6, 3 per second; organization writes 3 at once, 20 a minute",
    {
      tenant: { burst: 6, rate: "3/second" },
      groups: [{ name: "organization-writes", burst: 3, rate: "20/minute", operations: ["createOrganization", "updateOrganization", "deleteOrganization"] }],
    },
  ],
  // Added untuned: endpoint groups of one burst and no tenant bucket, which answers alone cannot tell apart while idle.
  ["three groups of 4 (organization reads 40, organization writes 30, link writes 20 a minute), no tenant bucket", SAME_BURST_GROUPS],
  ["the issue's shape, headers of the bucket with the fewest left", { ...ISSUE_SHAPE, headers: "tightest" }],
  ...HIDDEN_TENANT_SHAPES,
];

export interface LimitsRow extends SimulationResult {
  shape: string;
  latency: "before" | "after";
  run: RecordedRun;
}

export interface LimitsFigures {
  rows: LimitsRow[];
  /** One real run against the embedded emulator. */
  run: { transactions: number; ran: number; failed: number; requests: number };
  /** Real runs over HTTP, 150 ms per answer; bound: the all-knowing client's time for their requests. */
  httpRuns: HttpRun[];
  /** A long-lived learner (the client's): heap retained after each number of requests, bytes. */
  learnerHeap: Array<{ requests: number; retainedBytes: number }>;
}

/** The requests a long-lived learner is measured at. */
const LONG_LIVED_REQUESTS = [20_000, 100_000, 200_000];

/**
 * The heap a learner retains over a long life: a client that met every operation once (the recorded run) and then
 * sends one of them again and again — a service reading an organization's links — so that the buckets of the others
 * are never named by an answer again. Through the issue's shape in simulated time, each request sent once its
 * buckets have room, as the client's budget does; measured after a full GC at each mark.
 */
function measureLearnerHeap(operations: string[]): LimitsFigures["learnerHeap"] {
  const gc = gcFunction();
  const time = { now: 1_800_000_000_000 };
  const limiter = new TenantLimiter(limiterSettings({ limits: ISSUE_SHAPE }), simulatedClock(time));
  const learner = new BucketLearner(() => time.now);
  gc();
  const start = process.memoryUsage().heapUsed;
  const marks: LimitsFigures["learnerHeap"] = [];
  for (let sent = 1; sent <= LONG_LIVED_REQUESTS.at(-1)!; sent += 1) {
    const key = operations[sent] ?? "GET /organizations/{id}/enabled_connections";
    time.now += learner.delayFor(key).ms;
    learner.sent(key);
    const sentAt = time.now;
    const decision = limiter.take(key);
    time.now += 50;
    const header = (name: string) => Number(decision.headers[`x-ratelimit-${name}`]);
    learner.answered({
      key,
      status: decision.allowed ? 200 : 429,
      sentAt,
      answeredAt: time.now,
      reading: { limit: header("limit"), remaining: header("remaining"), reset: header("reset") },
    });
    if (LONG_LIVED_REQUESTS.includes(sent)) {
      gc();
      marks.push({ requests: sent, retainedBytes: process.memoryUsage().heapUsed - start });
    }
  }
  return marks;
}

export interface HttpRun {
  shape: string;
  failed: number;
  requests: number;
  /** Requests answered by a forced 429 a transaction asked for. */
  forced: number;
  refused: number;
  seconds: number;
  boundSeconds: number;
}

/** The shapes a whole run is measured against over HTTP: the issue's buckets, and the fixed window it first reported. */
const HTTP_RUN_SHAPES: Array<[string, LimitsOption]> = [
  ["the issue's shape, headers of the endpoint group", ISSUE_SHAPE],
  ["fixed window, 2 per second", { tenant: { burst: 2, rate: "2/second", refill: "window" } }],
];

/**
 * A whole contract run over HTTP against the embedded emulator with these limits, the emulator answering 150 ms
 * late: what the simulation stands for, on a real socket and a real clock (about two minutes).
 */
async function measureHttpRun(shape: string, limits: LimitsOption, journalDir: string): Promise<HttpRun> {
  const emulator = await startEmulator({ port: 0, host: "127.0.0.1", limits });
  try {
    const faults = await fetch(`${emulator.url}/__emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ latencyMs: LATENCY_MS }),
    });
    if (!faults.ok) throw new Error(`the emulator refused the latency fault: HTTP ${faults.status}`);
    const report = await runContract({ baseUrl: emulator.baseUrl, token: await emulator.issueToken(), log: () => {}, journalDir });
    // The bound sends the same requests (the repeats of refused ones left out), each no sooner than the run's own work
    // before it allowed, at the same latency; the forced 429s a transaction asked for draw on no bucket.
    const kept = report.sentRequests.filter((request) => request.expected429 || request.status !== 429);
    const timings = kept.map((request, index) => ({
      thinkMs: index === 0 ? 0 : Math.max(0, request.queuedAt - kept[index - 1]!.answeredAt),
      forced: request.expected429,
    }));
    const bound = allKnowingMs(
      { limits, latencyBeforeMs: LATENCY_MS, latencyAfterMs: 0 },
      kept.map((request) => request.key),
      timings,
    );
    return {
      shape,
      failed: report.counts.failed,
      requests: report.requests.sent,
      forced: kept.filter((request) => request.expected429).length,
      refused: report.requests.repeated429,
      seconds: report.requests.activeMs / 1000,
      boundSeconds: bound / 1000,
    };
  } finally {
    await emulator.close();
  }
}

export async function measureLimits(log: (line: string) => void): Promise<LimitsFigures> {
  const rows: LimitsRow[] = [];
  for (const [shape, limits] of LIMIT_SHAPES) {
    for (const run of Object.keys(RECORDED_RUNS) as RecordedRun[]) {
      for (const latency of ["before", "after"] as const) {
        const result = await simulatePacedRun({
          limits,
          operations: recordedOperations(run),
          latencyBeforeMs: latency === "before" ? LATENCY_MS : 0,
          latencyAfterMs: latency === "after" ? LATENCY_MS : 0,
        });
        rows.push({ shape, latency, run, ...result });
        log(
          `  ${shape}, ${run}, latency ${latency}: ${result.requests} requests, ${result.refused} refused, ${(result.elapsedMs / 1000).toFixed(1)} s against ${(result.boundMs / 1000).toFixed(1)} s (${result.ratio.toFixed(2)})`,
        );
      }
    }
  }
  const operations = recordedOperations();
  const journal = mkdtempSync(path.join(tmpdir(), "bench-limits-"));
  try {
    const report = await runContract({ log: () => {}, journalDir: path.join(journal, "journal") });
    const httpRuns: HttpRun[] = [];
    for (const [shape, limits] of HTTP_RUN_SHAPES) {
      const httpRun = await measureHttpRun(shape, limits, path.join(journal, `journal-${httpRuns.length}`));
      httpRuns.push(httpRun);
      log(
        `  a real run over HTTP, ${shape}: ${httpRun.requests} requests, ${httpRun.refused} refused, ${httpRun.seconds.toFixed(1)} s (bound ${httpRun.boundSeconds.toFixed(1)} s)`,
      );
    }
    const learnerHeap = measureLearnerHeap(operations);
    log(`  a long-lived learner: ${learnerHeap.map((mark) => `${(mark.retainedBytes / 1e6).toFixed(2)} MB after ${mark.requests}`).join(", ")}`);
    return {
      rows,
      run: { transactions: report.counts.total, ran: report.counts.ran, failed: report.counts.failed, requests: report.requests.sent },
      httpRuns,
      learnerHeap,
    };
  } finally {
    rmSync(journal, { recursive: true, force: true });
  }
}

export function renderLimits(figures: LimitsFigures, measuredAt: Date): string {
  const { run, httpRuns } = figures;
  const perTransaction = run.requests / run.transactions;
  const refused = figures.rows.reduce((sum, row) => sum + row.refused, 0);
  const requests = figures.rows.reduce((sum, row) => sum + row.requests, 0);
  const short = figures.rows.filter((row) => row.ratio < 0.9);
  const runs = (Object.keys(RECORDED_RUNS) as RecordedRun[]).map((name) => `${name} (${recordedOperations(name).length} requests)`);
  return [
    LIMITS_HEADING,
    "",
    `Measured ${measuredAt.toISOString()} (\`npm run bench -- --only limits\`). The requests of two recorded contract runs, ${runs.join(" and ")}, each in its order, through the run's own pacer and the emulator's own limiter in simulated time, ${LATENCY_MS} ms of latency before the tenant's clock or after it. The second was recorded after the learner had been tuned on the first. Bound: the same requests in the same order from a client that knows every bucket. Goals: at most 1% refused, at least 0.9 of the bound's pace, at most 1.3 requests per transaction.`,
    "",
    "| limits | recorded run | latency | requests | refused | run | all-knowing bound | ratio |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...figures.rows.map(
      (row) =>
        `| ${row.shape} | ${row.run} | ${row.latency} | ${row.requests} | ${row.refused} | ${(row.elapsedMs / 1000).toFixed(1)} s | ${(row.boundMs / 1000).toFixed(1)} s | ${row.ratio.toFixed(2)}${row.ratio < 0.9 ? " **(below 0.9)**" : ""} |`,
    ),
    "",
    `Refused in all: ${refused} of ${requests} requests (${((refused / requests) * 100).toFixed(2)}%). A real run against the embedded emulator: ${run.requests} requests for ${run.transactions} transactions (${perTransaction.toFixed(2)} per transaction; ${run.ran} ran, ${run.failed} failed).`,
    "",
    `Whole runs over HTTP against the embedded emulator, answering ${LATENCY_MS} ms late (what the simulation stands for, on a socket and a real clock). The bound sends the same requests in the same order, each no sooner than the run's own work before it allowed (starting Dredd, checking each answer, writing its journal), ${LATENCY_MS} ms before the limiter as the emulator's latency is; requests answered by a forced 429 that a transaction asked for draw on no bucket.`,
    "",
    "| limits | requests | of them forced 429s | refused | transactions failed | run | all-knowing bound | ratio |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...httpRuns.map(
      (httpRun) =>
        `| ${httpRun.shape} | ${httpRun.requests} | ${httpRun.forced} | ${httpRun.refused} | ${httpRun.failed} | ${httpRun.seconds.toFixed(1)} s | ${httpRun.boundSeconds.toFixed(1)} s | ${(httpRun.boundSeconds / httpRun.seconds).toFixed(2)} |`,
    ),
    "",
    `A long-lived learner (a client's, for the life of its process) that met every operation once and then reads one organization's links again and again, through the issue's shape in simulated time: heap retained after a full GC ${figures.learnerHeap.map((mark) => `${(mark.retainedBytes / 1e6).toFixed(2)} MB after ${mark.requests.toLocaleString("en")} requests`).join(", ")}. It does not grow with the requests: a bucket remembers at most 1,000 requests since its last answer (before that bound, every bucket no answer named again remembered every request sent since: 0.87, 4.54 and 10.27 MB at those marks).`,
    "",
    "What the pacer assumes, and what the simulation models: the pacer and the tenant share one clock here (no offset is modelled); the learner trusts the local clock to agree with the tenant's to well under a second (NTP), reading a reset as a local time, and takes the latency before the tenant's clock to be the same for every request up to the spread of the round trips it saw, so that two requests arrive as far apart as they were sent. With up to 60 ms more latency on each side, different for every request, the shapes meet no refusals they did not meet without it (test/shared/bucket-learner.test.ts).",
    "",
    "How endpoint groups of one burst are told apart (no tenant bucket, e.g. `self-service`: six groups of 5): answers of equal bursts are taken for one bucket until a reset or a count rules it out. Each answer's reset bounds the refill of the bucket it describes from below (`lacked / (reset − sent)`) and, for a token bucket, from above (`(limit − remaining) / (reset − 1 s − answered)`), so an answer implying a faster refill than a bucket can have is another bucket's; an operation's first answer that several buckets fit joins its kin's (same collection and kind, or a sibling collection of the same resource: an organization's `enabled_connections` and `connections`, not its `client-grants`); and a first request of an operation not seen yet waits for its kin's buckets and the tenant's once known — with no kin, for the buckets reads and writes alike draw on, or while none is known, for those of its own kind (a group is of reads or of writes), or for the one bucket when only one is known (it may be the tenant's). Tried and not kept: joining a first answer that found its bucket full to none but its kin's (fixed window, 2 per second: 77 refusals — a window's opener always finds it full); bounding every bucket's count from above as the tenant's is (`self-service` 0.87 with a refusal: the requests of members guessed wrong were counted as drawn, and true members were thrown out); taking first answers of the other kind for tentative members that make no bucket wide (`self-service` 0.84).",
    "",
    "How the tenant's bucket is found (Auth0's structure is taken as known: one tenant bucket that every request draws on, endpoint groups that do not overlap, each of reads or of writes). Operations outside every group answer with the tenant's headers, so its bucket is usually seen early, but with the burst of a group (the issue's shape: the tenant and organization reads both 10 at once) nothing in one answer tells them apart. What does: between two answers of one kind that name a bucket, its count falls by more than the requests of that kind sent meanwhile — requests of the other kind drew on it, which no group's bucket allows — so it is the tenant's, before any refusal; from then on every request is counted against it. Where only refusals show it (no operation outside the groups), a refusal by a bucket the refused operation's answers never named marks it, and that first refusal stays (1 of about 190). Its refill is then also read from its refusals' resets, an answer claiming more left than it can hold (its count is a whole number of a fractional level) is a group's bucket of the same burst, and no other bucket may hold reads and writes both. Tried and not kept earlier: after a refusal, waiting for one request's worth rather than the reset (5–6 refusals); counting every operation against any bucket reads and writes share (0.64–0.70: early on that is a group and the tenant taken for one); taking a bucket whose members span two collections for the tenant's (no gain). On the second recorded run, before the first sign and the narrower siblings, the issue's shape met 2 refusals at 0.80–0.84 and `enterprise` and the private-cloud tiers were at 0.86–0.87.",
    "",
    ...(short.length > 0
      ? [
          "Below 0.9 (a regression: no reason recorded):",
          "",
          ...short.map((row) => `- ${row.shape}, ${row.run}, latency ${row.latency}: ${row.ratio.toFixed(2)}`),
          "",
        ]
      : []),
  ].join("\n");
}
