import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One build of the package per run, made by the first test file that needs it (test/helpers/shared-build.ts).
    globalSetup: ["test/setup/shared-build.ts"],
    // Runs that take minutes by design (real third-party tools, a contract run at a free tenant's pace) are
    // `npm run test:long` (vitest.long.config.ts).
    exclude: [...configDefaults.exclude, "test/long/**"],
    // Type-level tests (`*.test-d.ts`) are checked by tsc as part of the same run. That tsc is `tsc --noEmit -p
    // tsconfig.json`, the whole project: an error in any file fails the run (test/types/tsc.test.ts pins this).
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
    // Most of the suite waits on child processes (Prism, Chromium, npm, CLIs), so three workers keep two cores
    // busy; vitest's default on a 2-core machine is a single worker.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A machine-readable summary for CI next to the usual terminal output.
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
  },
});
