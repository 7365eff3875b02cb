/**
 * A check that cannot fail is worthless: each deliberately broken variant of the emulator must fail the contract
 * run and the report must name the broken transaction. (The unbroken emulator passing is in emulator.test.ts.)
 * Each run takes seconds of CPU, so the mutants are dealt to two test files (mutants-*.test.ts) that vitest runs in
 * parallel workers; every mutant of MUTANTS is in exactly one of them.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runContract } from "../../src/contract/run.js";
import { collectLog, useTempDir } from "./helpers.js";
import { MUTANTS } from "./mutants.js";

export const MUTANT_FILES = 2;

/** The contract checks against every `files`-th mutant, starting at `first`. */
export function checkMutants(first: number, files = MUTANT_FILES): void {
  const mine = MUTANTS.filter((_mutant, index) => index % files === first);

  describe("the contract catches a broken emulator", () => {
    const tempDir = useTempDir("mutants-");

    it.each(mine.map((m) => [m.name, m] as const))("fails on %s", async (_name, mutant) => {
      const output = collectLog();
      const report = await runContract({ emulatorMiddleware: [mutant.middleware], log: output.log, journalDir: path.join(tempDir(), "journal") });
      const failed = report.results.filter((r) => r.status === "fail" || r.status === "error");
      expect(report.ok).toBe(false);
      expect(
        failed.map((r) => r.id).some((id) => mutant.breaks.test(id)),
        `failed: ${failed.map((r) => `${r.id}: ${r.message}`).join("\n")}`,
      ).toBe(true);
      // The summary names it too.
      expect(output.text()).toMatch(/Failed:\n/);
    });
  });
}
