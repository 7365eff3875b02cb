/**
 * `npm run test:tools`: real third-party tools (auth0-deploy-cli) run unchanged against the emulator. Kept out of
 * `npm test` because each deploy-cli import spends ~20 s of CPU validating its own schema.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/tools/**/*.test.ts"],
    // The tools are CPU-bound child processes: one at a time.
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest-tools.json" },
  },
});
