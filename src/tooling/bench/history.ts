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
 * The second session (the transport-agnostic core): the Hono-based emulator of commit 8171cdc against this tree and a
 * bare `node:http` server, alternating in one run (3 rounds of 3 s, medians, 10 connections, CPU per request from
 * /proc) while the machine's load average fell from 9 to 3. An earlier run of 5 rounds at load 7–11 gave the same
 * picture: 11,244 → 13,180 req/s and 53.7 → 45.8 µs per request, bare 27,752 req/s at 16.6 µs.
 */
export const CORE_PROFILED_ON = "2026-11-30 (load average 9 falling to 3; bare node:http 49,219 req/s at 16.8 µs of CPU per request in the same run)";

export const CORE_BEFORE_AFTER: ProfileStep[] = [
  { change: "before: Hono on @hono/node-server (commit 8171cdc)", requestsPerSecond: 15_768, cpuMicrosPerRequest: 52.7, p99Ms: 1 },
  { change: "after: plain core, own node:http adapter (this tree)", requestsPerSecond: 17_201, cpuMicrosPerRequest: 46.8, p99Ms: 2 },
];

/** Where the time went before and after the core stopped building web objects, and what is left. */
export const CORE_PROFILE_FINDINGS: string[] = [
  "Before (`node --cpu-prof` of the server under autocannon): of the server's busy time, the `writev` system call " +
    "took ~47%, Node's HTTP parsing and writing ~17%, Hono and @hono/node-server ~10% (the trie router, the web " +
    "`Request` and `Response` every request got, `responseViaCache`), the emulator's own code ~10%, garbage " +
    "collection ~5%.",
  "After: the core works on a plain request (method, path, query, a header reader, a body reader, the peer) and " +
    "returns a plain reply; the `node:http` adapter reads headers straight from `rawHeaders` (Node never builds its " +
    "header object), writes status, headers and body in one `writeHead().end()`, and creates no closures per " +
    "request; routes are compiled once from the spec into a table by method and segment count; a request without a " +
    "query string reuses its operation's validated defaults; the previous request's token is compared before the " +
    "token map is hashed. Hono's ~10% is gone; the emulator's code (now including routing and request parsing) is " +
    "~17%, Node's HTTP code ~17–21%, garbage collection ~4.5%.",
  "What is left: in a tight in-process loop the whole pipeline for the list request (rate limit, token, scope, " +
    "router, path and query checks, the state, the serialized reply) costs ~4 µs, yet over HTTP the emulator spends " +
    "~22–30 µs of CPU per request more than the bare server. The profile puts half of the busy time in `writev`: ~34 µs " +
    "per request for the emulator against ~14 µs for the bare server sending the same bytes; on loopback the sender " +
    "pays for waking the receiver, and a slower server finds autocannon asleep more often. The rest is most likely " +
    "cache misses of a larger working set on a machine shared with other work. The goal of 0.6× the bare server is " +
    "met by req/s in the quieter full run above (0.67×) but not by CPU per request (0.36–0.44× across runs).",
];

/**
 * The client's profiling session (a record: the "before" client no longer exists). Alternating rounds of the same
 * harness as benchmarks 1 and 2, medians, two runs each, load average 3–5 from other work on the machine.
 */
export const CLIENT_PROFILED = "2026-11-22: the client of commit 8c82b5d (before) and of commit 20463bf (after)";

export const CLIENT_BEFORE_AFTER: Array<{ change: string; stubbedVsOpenapiFetch: string; roundTripsVsFetch: string }> = [
  { change: "before (commit 8c82b5d)", stubbedVsOpenapiFetch: "0.30–0.32×", roundTripsVsFetch: "0.65–0.67×" },
  { change: "after (commit 20463bf)", stubbedVsOpenapiFetch: "0.94–0.95×", roundTripsVsFetch: "0.81–0.88×" },
];

/** What the client's profiles showed, what was done, and why round trips stay short of 0.9×. */
export const CLIENT_FINDINGS: string[] = [
  "Before: each call created ~5 AbortSignals and ~3 Requests (openapi-fetch's own, a `clone()` kept for retries, and " +
    "`new Request(request, { signal })` with `AbortSignal.any` for the deadline), then read the whole body and rebuilt " +
    "the Response; signal creation alone was ~18% of a stubbed call, a timer per call ~7%.",
  "After: auth, retries and deadlines run in the per-request `fetch` openapi-fetch is given (beneath all middleware); " +
    "a request without a body is not copied; the attempt's signal is swapped onto the Request openapi-fetch built and " +
    "created only when read; one timer queue serves all deadlines; a success answer is passed on as it came; path " +
    "templates are parsed once. The client's own code is now ~7% of a stubbed call.",
  "Round trips, broken down in one alternating run against the emulator: bare openapi-fetch without middleware is " +
    "already 0.93× a hand-written `fetch` (it always builds its own Request, which undici copies), and giving the " +
    "request an abortable deadline costs another ~6% on Node 20 (undici links each signal through a WeakRef, a " +
    "FinalizationRegistry entry and a listener); the client's logic adds ~1%. So the target sits at the edge of what a " +
    "client built on openapi-fetch, with a real abort for a hung server, can reach: runs measured 0.81–0.90×.",
];

/** Why `npm test` takes longer than 90 s on this machine (from reports/vitest.json of a full run). */
export const TEST_SUITE_FINDINGS: string[] = [
  "Vitest's default is one worker less than the CPU count: on 2 cores the test files ran one at a time (130 s on an " +
    "idle machine). The suite mostly waits on child processes, so `vitest.config.ts` now sets three workers: 96 s on " +
    "the idle machine. While other work kept the load average at 4–5, three workers were no faster (221 s): the " +
    "figure below depends on how busy the machine is.",
  "The slowest files start processes: regenerating `generated/` (test/spec/generated.test.ts), `npm pack` plus a " +
    "consumer type-check (test/package), a whole-project `tsc` (test/types/tsc.test.ts, while vitest's own typecheck " +
    "runs tsc over the type tests as well), Dredd runs per mutant (test/contract/mutants.test.ts), and CLIs started " +
    "through tsx several times per file (diff, emulator, contract), each paying tsx's start-up.",
];
