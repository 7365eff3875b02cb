/**
 * A whole contract run against the issue's token buckets with the endpoint groups' headers: a tenant bucket of 10
 * (2 a second) that no successful answer of a grouped operation names, behind five groups, 150 ms per answer. The
 * benchmark (BENCHMARKS.md section 9) simulates this with two recorded runs' requests; here the run's real pacer meets
 * the emulator's real limiter over HTTP. It takes about two and a half minutes by design, so it runs under
 * `npm run test:long`.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ISSUE_SHAPE } from "../harness/bench/limits.js";
import { runContractAgainst, setFaults, startTestEmulator, tenantState, useTempDir } from "../contract/helpers.js";

describe("a contract run against a tenant bucket hidden behind the endpoint groups' headers", () => {
  const tempDir = useTempDir("contract-hidden-tenant-");

  it("passes with zero failures, at most 1% of its requests refused, and leaves the tenant as found", async () => {
    const emulator = await startTestEmulator({ limits: ISSUE_SHAPE });
    try {
      await setFaults(emulator, { latencyMs: 150 });
      const before = await tenantState(emulator);
      const { code, output } = await runContractAgainst(emulator, path.join(tempDir(), "journal"));

      expect(code, output.text()).toBe(0);
      expect(output.text()).toMatch(/\d+ transactions: \d+ ran, \d+ passed, 0 failed/);
      // Paced, not failed: a refusal it met was repeated, and no transaction saw a 429 it did not ask for. The tenant's
      // bucket shows in the counts of the operations outside every group, so refusals are rare (none in twelve runs).
      const requests = /(\d+) requests sent in [\d.]+ s \([\d.]+ per second; (\d+) repeated after a 429\)/.exec(output.text());
      expect(requests, output.text()).not.toBeNull();
      const [, sent, repeated] = requests!.map(Number);
      expect(repeated! / sent!, output.text()).toBeLessThanOrEqual(0.01);
      expect(await tenantState(emulator)).toEqual(before);
    } finally {
      await emulator.close();
    }
  }, 600_000);
});
