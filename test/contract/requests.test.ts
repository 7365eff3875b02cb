/**
 * How many requests a run sends: fixtures shared between the transactions that can share them, no set-up whose
 * answer the run already knows, a clean-up that deletes what the run made without reading it first — at most 1.3
 * requests per transaction on average, with every check still made. The run says at the start how many it will send.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runContract } from "../../src/contract/run.js";
import { collectLog, DOCUMENTED_TRANSACTIONS, startTestEmulator, tenantState, useTempDir } from "./helpers.js";

describe("the requests of a run", () => {
  const tempDir = useTempDir("contract-requests-");

  it("at most 1.3 per transaction, every check made, nothing left; the number is said at the start", async () => {
    // A tenant with a grant the run may associate with its organization, as a live tenant has one.
    const emulator = await startTestEmulator({
      seed: {
        clients: [{ client_id: "requests-test-app", name: "Requests test application" }],
        client_grants: [
          {
            id: "cgr_requeststest00001",
            client_id: "requests-test-app",
            audience: "https://requests-test.example/",
            scope: ["read:things"],
            organization_usage: "allow",
            allow_any_organization: false,
          },
        ],
      },
    });
    try {
      const before = await tenantState(emulator);
      const output = collectLog();
      const report = await runContract({
        baseUrl: emulator.baseUrl,
        token: await emulator.issueToken(),
        narrowToken: await emulator.issueToken({ scopes: [] }),
        log: output.log,
        journalDir: path.join(tempDir(), "journal"),
      });
      expect(report.counts.failed, output.text()).toBe(0);
      // Every documented transaction but the one conflict that cannot be provoked without touching others' resources.
      expect(report.counts.ran).toBe(DOCUMENTED_TRANSACTIONS - 1);
      expect(report.requests.sent / report.counts.total).toBeLessThanOrEqual(1.3);
      const planned = Number(/This run will send about (\d+) requests \(\d+ transactions\)\./.exec(output.text())?.[1]);
      expect(Math.abs(planned - report.requests.sent) / report.requests.sent, `planned ${planned}, sent ${report.requests.sent}`).toBeLessThan(0.05);
      expect(output.text()).toMatch(/At the limits seen so far that takes about \d+ (s|min) \(/);
      expect(await tenantState(emulator)).toEqual(before);
    } finally {
      await emulator.close();
    }
  }, 120_000);
});
