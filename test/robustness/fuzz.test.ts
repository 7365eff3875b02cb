/**
 * The short version of `npm run fuzz` (model-based fuzzing, the bad-input cases and generated hostile input), plus
 * proof that each notices a broken server: an emulator whose lists lie must fail the fuzzer, a case expecting the
 * wrong thing must fail, and an emulator that answers hostile input with a 5xx must fail the hostile-input run.
 */
import { describe, expect, it } from "vitest";
import type { EmulatorMiddleware } from "../../src/emulator/index.js";
import { badInputCases, runBadInputSuite } from "../harness/fuzz/bad-input.js";
import { runHostileInputSuite } from "../harness/fuzz/hostile-input.js";
import { fuzzSettings } from "../harness/fuzz/run.js";
import { runStatefulFuzz } from "../harness/fuzz/stateful.js";

const SEED = 20_261_122;

/** Rewrites the JSON of successful link-list answers (`include_totals=true` pages and plain arrays). */
function rewriteLists(change: (body: any) => unknown): EmulatorMiddleware {
  return async (request, next) => {
    const response = await next(request);
    const { pathname } = new URL(request.url);
    if (request.method !== "GET" || response.status !== 200 || !/\/organizations\/[^/]+\/(enabled_)?connections$/.test(pathname)) return response;
    return new Response(JSON.stringify(change(await response.json())), { status: 200, headers: response.headers });
  };
}

describe("model-based fuzzing of the whole API", () => {
  it("runs valid and invalid call sequences with no 5xx, no hang, every answer valid and every invariant holding", async () => {
    const report = await runStatefulFuzz(fuzzSettings(true, SEED).stateful);
    expect(report.failure).toBeUndefined();
    expect(report.runs).toBe(60);
    expect(report.requests).toBeGreaterThan(1_000);
    expect(report.invariantChecks).toBeGreaterThan(100);
    // The sequences reach successes and every kind of refusal, not only one of them.
    for (const status of ["200", "201", "204", "400", "401", "403", "404", "409"]) expect(report.statuses[status], status).toBeGreaterThan(0);
    expect(Object.keys(report.statuses).some((s) => Number(s) >= 500)).toBe(false);
  });

  it("notices lists whose totals do not match the links", async () => {
    const wrongTotals = rewriteLists((body) => (Array.isArray(body) ? body : { ...body, total: body.total + 1 }));
    const report = await runStatefulFuzz({ runs: 50, maxCommands: 30, seed: SEED, middleware: [wrongTotals], shrink: false });
    expect(report.failure).toMatch(/total/);
  });

  it("notices a list that shows a link twice", async () => {
    const duplicate = rewriteLists((body) => {
      const items = Array.isArray(body) ? body : (body.connections ?? body.enabled_connections);
      if (items.length > 0) items.push(items[0]);
      return body;
    });
    const report = await runStatefulFuzz({ runs: 50, maxCommands: 30, seed: SEED, middleware: [duplicate], shrink: false });
    expect(report.failure).toBeDefined();
  });
});

describe("bad input over HTTP", () => {
  it("answers every case with a 4xx in Auth0's shape (or a documented harmless answer) and changes nothing", async () => {
    const report = await runBadInputSuite();
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(badInputCases().length);
    expect(Object.keys(report.byCategory).sort()).toEqual(
      [
        "51-character ids",
        "body over 1 MB",
        "booleans as strings",
        "control characters in names",
        "dot segments and encoded slashes",
        "duplicate query keys",
        "malformed JSON",
        "negative and huge page/per_page",
        "wrong content type",
      ].sort(),
    );
    expect(report.byExpectation.rejected).toBeGreaterThan(100);
  });

  it("reports a case whose answer is not what it expects", async () => {
    const [malformed] = badInputCases();
    // A well-formed request for a resource that exists is not rejected: the suite must say so.
    const report = await runBadInputSuite([
      { ...malformed!, name: "a valid request", request: { method: "GET", path: "/api/v2/organizations/org_badinput000000001" } },
    ]);
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toMatch(/expected a 4xx, got 200/);
  });
});

describe("hostile input over HTTP (issue 13)", () => {
  it("answers every generated hostile input with a 4xx in Auth0's shape: no 5xx, no crash, the tenant unchanged", async () => {
    const settings = fuzzSettings(true, SEED).hostile;
    const report = await runHostileInputSuite(settings);
    expect(report.failures).toEqual([]);
    expect(report.inputs).toBeGreaterThan(settings.generated);
    expect(report.rejected).toBe(report.inputs);
    expect(report).toMatchObject({ serverErrors: 0, crashes: 0, stateUnchanged: true });
    expect(Object.keys(report.byFamily).sort()).toEqual(["admin access", "encodings", "header sizes", "nesting", "numbers"]);
  });

  it("notices an emulator that answers a hostile input with a 5xx or changes the tenant", async () => {
    const breaksOnDeepBodies: EmulatorMiddleware = async (request, next) => {
      const response = await next(request);
      if (response.status === 400 && /nested deeper/.test(await response.clone().text()))
        return new Response('{"statusCode":500,"error":"Internal Server Error","message":"boom"}', { status: 500 });
      return response;
    };
    const report = await runHostileInputSuite({ generated: 40, seed: SEED, middleware: [breaksOnDeepBodies] });
    expect(report.serverErrors).toBeGreaterThan(0);
    expect(report.failures.some((f) => /\[nesting\].*server error 500/.test(f))).toBe(true);
  });
});
