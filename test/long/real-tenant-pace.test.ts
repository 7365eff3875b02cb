/**
 * A whole contract run at a free tenant's pace: 2 requests per second and 150 ms per answer, on a user's own
 * emulator. The run is paced by the limit (about 260 requests, so about 2.5 minutes by design), which is why this
 * file runs under `npm run test:long`, not `npm test`; the other real-tenant conditions are in
 * test/contract/real-tenant.test.ts.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  runContractAgainst,
  currentFaults,
  DOCUMENTED_TRANSACTIONS as documentedTransactions,
  FORBIDDEN_TRANSACTIONS as forbiddenTransactions,
  setFaults,
  startTestEmulator,
  tenantState,
  useTempDir,
} from "../contract/helpers.js";

describe("a contract run at a free tenant's rate limit", () => {
  const tempDir = useTempDir("contract-paced-");

  it("passes with zero failures at 2 requests per second and 150 ms latency, on a user's emulator left as found", async () => {
    const emulator = await startTestEmulator({ rateLimit: { limit: 2, windowMs: 1000 } });
    try {
      const userFaults = { latencyMs: 150 };
      await setFaults(emulator, userFaults);
      const before = await tenantState(emulator);
      const { code, output } = await runContractAgainst(emulator, path.join(tempDir(), "journal"));

      expect(code, output.text()).toBe(0);
      // Everything but the one conflict that cannot be provoked without touching others' resources (PATCH (409) /connections/{id})
      // and, on this user's emulator without client grants, the organization client-grant transactions (the run never creates grants).
      const summary = /(\d+) transactions: (\d+) ran, (\d+) passed, 0 failed, (\d+) skipped/.exec(output.text());
      expect(summary, output.text()).not.toBeNull();
      const [, total, ran, passed] = summary!.map(Number);
      expect(total).toBe(documentedTransactions);
      expect(passed).toBe(ran);
      const skipLines = output
        .text()
        .split("\n")
        .filter((line) => /^ {2}- /.test(line));
      expect(skipLines.filter((line) => !/PATCH \(409\) \/connections\/\{id\}|\/client-grants.* — the tenant has no client grant/.test(line))).toEqual([]);
      // Dredd's own requests were paced too: the run waited for the limit instead of failing on a 429.
      expect(output.text()).toMatch(/\d+ requests sent in [\d.]+ s \([\d.]+ per second; \d+ repeated after a 429\), [1-9]\d*\.\d s waited for the rate limit/);
      // The emulator's admin API minted the narrow token, so every 403 was provoked, and each 429 was forced.
      expect(output.text().match(/✓ \w+ \(403\) /g)).toHaveLength(forbiddenTransactions);
      expect(output.text()).toMatch(/✓ POST \(429\) \/organizations\n/);
      // The user's faults are exactly as before; nothing the run created is left.
      expect(await currentFaults(emulator)).toEqual(userFaults);
      expect(await tenantState(emulator)).toEqual(before);
    } finally {
      await emulator.close();
    }
  }, 600_000);
});
