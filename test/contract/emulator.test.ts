/**
 * The contract run against the embedded emulator (the default target, and the project's main job) and against
 * Prism: every transaction that can be provoked runs and passes, the skips carry their reasons, a JUnit report is
 * written on request, nothing the run created is left behind, and neither shows drift (nothing beyond the spec).
 */
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runContract } from "../../src/contract/run.js";
import { collectLog, DOCUMENTED_TRANSACTIONS as documentedTransactions, useTempDir } from "./helpers.js";

describe("contract run", () => {
  const tempDir = useTempDir("contract-");

  it("passes against the embedded emulator, with one transaction per documented status", async () => {
    const output = collectLog();
    const junitFile = path.join(tempDir(), "emulator.xml");
    const journalDir = path.join(tempDir(), "journal");
    const report = await runContract({ log: output.log, junitFile, journalDir, failOnDrift: true });

    // The emulator as shipped answers only what the spec describes: no field, header or parameter beyond it.
    expect(report.drift).toEqual([]);
    expect(output.text()).toContain("Drift: nothing new beyond the spec.");
    expect(report.results.filter((r) => r.status !== "pass" && r.status !== "skip")).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.total).toBe(documentedTransactions);
    // The only status that cannot be provoked safely on the emulator.
    expect([...new Set(report.skipReasons.keys())]).toEqual(["PATCH (409) /connections/{id}"]);
    expect(output.text()).toMatch(/✓ GET \(200\) \/organizations\/\{id\}\/connections\/\{connection_id\}/);
    // The operations real tools need are provoked like the rest: by name, renames, both list shapes, the MCP 422s.
    for (const transaction of [
      "GET (200) /organizations/name/{name}",
      "GET (400) /organizations/name/{name}",
      "GET (404) /organizations/name/{name}",
      "PATCH (200) /organizations/{id}",
      "PATCH (404) /organizations/{id}",
      "PATCH (409) /organizations/{id}",
      "GET (200) /organizations",
      "GET (200) /connections",
      "GET (200) /clients",
      "GET (200) /client-grants",
      "GET (200) /organizations/{id}/client-grants",
      "POST (422) /connections",
      "PATCH (422) /connections/{id}",
      "DELETE (404) /organizations/{id}",
      // Associating the emulator's seeded grant with the run's organization, twice (409), and removing it.
      "POST (201) /organizations/{id}/client-grants",
      "POST (404) /organizations/{id}/client-grants",
      "POST (409) /organizations/{id}/client-grants",
      "DELETE (204) /organizations/{id}/client-grants/{grant_id}",
      "DELETE (400) /organizations/{id}/client-grants/{grant_id}",
      "DELETE (404) /organizations/{id}/client-grants/{grant_id}",
    ]) {
      expect(report.results.find((r) => r.id === transaction)?.status, transaction).toBe("pass");
    }
    expect(output.text()).toContain(
      `${documentedTransactions} transactions: ${documentedTransactions - 1} ran, ${documentedTransactions - 1} passed, 0 failed, 1 skipped`,
    );

    const junit = await readFile(junitFile, "utf8");
    expect(junit).toMatch(/<testsuite[^>]*tests="\d+"/);
    expect(junit).toContain("POST (201) /organizations");
    expect(existsSync(path.join(journalDir, `${report.runId}.json`)), "the journal is removed once everything is cleaned up").toBe(false);
  });

  it("passes against Prism, asking for each status with Prefer", async () => {
    const output = collectLog();
    const report = await runContract({ target: "prism", log: output.log, journalDir: path.join(tempDir(), "prism-journal"), failOnDrift: true });
    expect(report.drift).toEqual([]);
    expect(report.results.filter((r) => r.status !== "pass")).toEqual([]);
    expect(report.counts).toMatchObject({ total: documentedTransactions, passed: documentedTransactions, failed: 0, skipped: 0 });
  });
});
