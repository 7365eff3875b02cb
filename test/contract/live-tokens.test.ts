/**
 * Tokens for as long as the run takes, on a simulated live tenant over TLS (a `*.auth0.com` name): with client
 * credentials every part of the run gets its token from one source that renews it — before it expires and once
 * after a 401 `Invalid token.` — so a run longer than its tokens passes and leaves nothing; a static token that
 * cannot last the run stops it before anything is created. (One that expires mid-run: test/long/live-token-expiry.test.ts.)
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LIVE_CLIENT, simulateLiveTenant } from "../helpers/simulated-live-tenant.js";
import { startNpmContract, startTestEmulator, tenantState, useTempDir } from "./helpers.js";

describe("a live run's tokens", () => {
  const tempDir = useTempDir("contract-live-tokens-");

  it("client credentials: tokens that lapse mid-run (4 s, announced as 8 s) are renewed; the run passes and leaves nothing", async () => {
    const emulator = await startTestEmulator({ seed: { clients: [{ client_id: LIVE_CLIENT.clientId }] }, faults: { latencyMs: 10 } });
    const tenant = await simulateLiveTenant(emulator, tempDir(), { tokenSeconds: 4, announcedSeconds: 8 });
    try {
      const before = await tenantState(emulator);
      const run = startNpmContract(["--live", "--journal", path.join(tempDir(), "journal")], {
        ...tenant.env,
        AUTH0_DOMAIN: tenant.domain,
        AUTH0_CLIENT_ID: LIVE_CLIENT.clientId,
        AUTH0_CLIENT_SECRET: LIVE_CLIENT.clientSecret,
      });
      const { code } = await run.exited;
      expect(code, run.output()).toBe(0);
      expect(run.output()).toMatch(/\d+ transactions: \d+ ran, \d+ passed, 0 failed/);
      expect(run.output()).not.toMatch(/Invalid token|could not remove|^ {2}[✗!] /m);
      // The run outlasted several tokens, and each was fetched when needed.
      expect(tenant.tokensIssued()).toBeGreaterThan(2);
      expect(await tenantState(emulator)).toEqual(before);
    } finally {
      await tenant.close();
      await emulator.close();
    }
  }, 300_000);

  it("a static token that cannot last the run stops it before anything is created", async () => {
    // 300 ms an answer: 159 transactions need at least 48 s; the token lasts 15.
    const emulator = await startTestEmulator({ faults: { latencyMs: 300 } });
    const tenant = await simulateLiveTenant(emulator, tempDir(), { tokenSeconds: 3600 });
    try {
      const before = await tenantState(emulator);
      const run = startNpmContract(["--live", "--journal", path.join(tempDir(), "journal")], {
        ...tenant.env,
        AUTH0_DOMAIN: tenant.domain,
        AUTH0_TOKEN: await tenant.staticToken(15),
      });
      const { code } = await run.exited;
      expect(code, run.output()).toBe(1);
      expect(run.output()).toMatch(/the token expires at \d{4}-\d\d-\d\dT[\d:.]+Z, before the run can finish: its \d+ transactions need at least/);
      expect(await tenantState(emulator)).toEqual(before);
    } finally {
      await tenant.close();
      await emulator.close();
    }
  }, 120_000);
});
