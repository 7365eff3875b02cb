/**
 * Figures from the profiling session that changed the emulator (a record, not a measurement this run makes: the
 * "before" code no longer exists). Same machine kind, same harness as benchmark 3, emulator and references side by
 * side in one run, 5 rounds of 3 s, medians; CPU time per request read from /proc for the server process.
 */
export interface ProfileStep {
  change: string;
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
  p99Ms: number;
}

export const PROFILED_ON = "2026-11-22 (load average 1.7; bare node:http 31,208 req/s and a minimal async Hono app 20,397 req/s in the same run)";

export const EMULATOR_BEFORE_AFTER: ProfileStep[] = [
  { change: "before (commit df944b8)", requestsPerSecond: 10_431, cpuMicrosPerRequest: 97, p99Ms: 2 },
  { change: "after (this tree)", requestsPerSecond: 13_423, cpuMicrosPerRequest: 74, p99Ms: 1 },
];

/** What the profiles showed, and what was done about each finding. */
export const PROFILE_FINDINGS: string[] = [
  "In-process, a list request spent ~60% of the app's time building the 10 link views and serializing them " +
    "(`organizationConnectionView` 23%, `JSON.stringify` inside `jsonResponse` 36%). Link views are now serialized " +
    "once per stored record and cached by record identity (the store already replaced records on every update; " +
    "`updateConnectionClients` now does too), and list bodies are joined from the cached item JSON: app time per " +
    "list request fell from ~25 µs to ~6 µs.",
  "Token checks parsed the `Authorization` header with a regular expression before looking up the verified-token " +
    "cache; the exact header of an already verified token is now looked up first, synchronously, so a request with a " +
    "known token does not wait for a promise.",
  "Every request went through two extra `async` layers (the fault layer and the HTTP adapter's wrapper) even with no " +
    "fault set; they now hand the app's promise straight through when no fault is active.",
  "What remains is mostly outside the emulator: in the HTTP profile the `writev` system call and Node's HTTP parsing " +
    "take ~60% of the server's busy time (the same cost the bare server pays), Hono and @hono/node-server ~10%, the " +
    "emulator's own code ~12%. A minimal Hono app on the same adapter reaches ~0.65× the bare server, which bounds " +
    "what any Hono-based server can reach here.",
];

/**
 * Why this client was slower than bare openapi-fetch (a CPU profile of 40,000 stubbed calls, same date, of the
 * client as committed in 8c82b5d). Recorded for whoever works on src/client; the benchmark measures, it does not
 * change the client, so the table above may already show a client that has moved on.
 */
export const CLIENT_PROFILED = "2026-11-22, client of commit 8c82b5d";
export const CLIENT_FINDINGS: string[] = [
  "`createTimedFetch` (src/client/send.ts) takes ~47% of a stubbed call: it builds a second `Request` to attach " +
    "`AbortSignal.any([request.signal, deadline])` (creating the combined signal alone is ~8%), starts a timer, reads " +
    "the whole body with `arrayBuffer()`, and builds new `Headers` and a new `Response` from it. openapi-fetch then " +
    "reads that rebuilt body again.",
  "The transport middleware clones every request up front (`request.clone()` in `onRequest`, ~6%), also GETs and " +
    "DELETEs that have no body to keep.",
  "Ideas: pass the deadline as `fetch(request, { signal })` instead of a new `Request`; skip `AbortSignal.any` when " +
    "the caller gave no signal; keep the deadline running until openapi-fetch has read the body instead of buffering " +
    "and rebuilding the `Response`; keep a body-less request's method, URL and headers instead of cloning it.",
];

/** Why `npm test` takes longer than 90 s on this machine (from reports/vitest.json of a full run). */
export const TEST_SUITE_FINDINGS: string[] = [
  "Vitest's default is one worker less than the CPU count: on 2 cores the test files run one at a time. A run with " +
    "`--maxWorkers=3` while other work kept the load average at 4–5 was no faster (221 s) and pushed the whole-project " +
    "tsc test past its 60 s timeout: here the suite is CPU-bound, so more workers only help on an idle machine.",
  "The slowest files start processes: regenerating `generated/` (test/spec/generated.test.ts), `npm pack` plus a " +
    "consumer type-check (test/package), a whole-project `tsc` (test/types/tsc.test.ts, while vitest's own typecheck " +
    "runs tsc over the type tests as well), Dredd runs per mutant (test/contract/mutants.test.ts), and CLIs started " +
    "through tsx several times per file (diff, emulator, contract), each paying tsx's start-up.",
];
