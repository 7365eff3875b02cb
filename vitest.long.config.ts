/**
 * `npm run test:long`: runs that take minutes by design, kept out of `npm test` so that the everyday suite stays
 * quick. Real third-party tools run unchanged against the emulator (each auth0-deploy-cli import spends ~20 s of
 * CPU validating its own schema), and a whole contract run goes at a free tenant's pace (2 requests per second).
 * `.ci/run` and the CI workflow run both commands.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/long/**/*.test.ts"],
    // Two files side by side: deploy-cli is CPU-bound, the paced contract run mostly waits for its rate limit.
    maxWorkers: 2,
    testTimeout: 600_000,
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest-long.json" },
  },
});
