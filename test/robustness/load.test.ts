/**
 * The short version of the load-with-faults run: 50 clients of this project's client against the emulator over
 * HTTP with a tight rate limit, injected 503s and dropped connections. Also proof that the run notices a server
 * that carries a request out and then loses the answer (which retries cannot make safe).
 */
import { describe, expect, it } from "vitest";
import { DroppedConnection } from "../../src/emulator/faults.js";
import type { EmulatorMiddleware } from "../../src/emulator/index.js";
import { runLoadWithFaults } from "../harness/fuzz/load.js";
import { fuzzSettings } from "../harness/fuzz/run.js";

describe("load with faults", () => {
  it("the client's retries absorb 429s, 503s and dropped connections; the final state is what the successful calls imply", async () => {
    const { load } = fuzzSettings(true);
    const report = await runLoadWithFaults(load, 11);
    expect(report.failures).toEqual([]);
    expect(report.clients).toBe(50);
    // Every client makes at least its minimum, however slow the machine; ~8% of requests meet a fault.
    expect(report.operations).toBeGreaterThanOrEqual(load.clients * load.operationsPerClient.min);
    expect(report.seen429 + report.seen503 + report.dropped).toBeGreaterThan(0);
    expect(Object.values(report.retries).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it("notices a server that links a connection and then drops the connection without answering", async () => {
    const actThenDrop: EmulatorMiddleware = async (request, next) => {
      const response = await next(request);
      const isLinkCreation = request.method === "POST" && /\/organizations\/[^/]+\/(enabled_)?connections$/.test(new URL(request.url).pathname);
      if (isLinkCreation && response.status === 201) throw new DroppedConnection();
      return response;
    };
    const report = await runLoadWithFaults(
      { ...fuzzSettings(true).load, clients: 10, durationMs: 600, serverErrorFraction: 0, dropFraction: 0, middleware: [actThenDrop] },
      3,
    );
    expect(report.failures.some((f) => /failed but was applied|differ from what its successful calls imply/.test(f))).toBe(true);
  });
});
