/**
 * A live run (simulated over TLS, a `*.auth0.com` name) with a static token that expires mid-run: one line says so,
 * the rest of the transactions are skipped rather than failed as broken contracts, the clean-up lists what it could
 * not remove, and `--cleanup` with a fresh token removes it. It needs the token to outlast the start and lapse
 * during the run — about a minute by design — so it runs under `npm run test:long`.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setFaults, startNpmContract, startTestEmulator, tenantState, useTempDir } from "../contract/helpers.js";
import { simulateLiveTenant } from "../helpers/simulated-live-tenant.js";

describe("a live run whose static token expires mid-run", () => {
  const tempDir = useTempDir("contract-live-expiry-");

  it("a static token that expires mid-run: one line says so, nothing more is sent for it, and --cleanup finishes with a fresh one", async () => {
    // Fast answers at the start (so a minute-long token passes the check that it can last the run), slow ones once
    // the transactions are under way (about 150 requests at 700 ms, some 100 s: the run outlasts the token).
    const emulator = await startTestEmulator();
    const tenant = await simulateLiveTenant(emulator, tempDir(), { tokenSeconds: 3600 });
    try {
      const before = await tenantState(emulator);
      const journal = path.join(tempDir(), "journal");
      const run = startNpmContract(["--live", "--journal", journal], { ...tenant.env, AUTH0_DOMAIN: tenant.domain, AUTH0_TOKEN: await tenant.staticToken(60) });
      await run.waitFor(/✓ POST \(201\) \/organizations\n/, 120_000);
      await setFaults(emulator, { latencyMs: 700 });
      const { code } = await run.exited;
      expect(code, run.output()).toBe(1);
      expect(run.output().match(/^The run stopped: the token expired at \d{4}-\d\d-\d\dT[\d:.]+Z, after \d+ transaction\(s\)\./gm), run.output()).toHaveLength(
        1,
      );
      // Not dozens of transactions failing as if the contract were broken.
      expect(run.output()).not.toMatch(/but got '401'/);
      expect(run.output()).toMatch(/Cleanup left \d+ resource\(s\) behind \(run with --cleanup to retry\)/);
      await setFaults(emulator, {});
      const cleanup = startNpmContract(["--live", "--cleanup", "--journal", journal], {
        ...tenant.env,
        AUTH0_DOMAIN: tenant.domain,
        AUTH0_TOKEN: await tenant.staticToken(3600),
      });
      expect((await cleanup.exited).code, cleanup.output()).toBe(0);
      expect(await tenantState(emulator)).toEqual(before);
    } finally {
      await tenant.close();
      await emulator.close();
    }
  }, 600_000);
});
