import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Type-level tests (`*.test-d.ts`) are checked by tsc as part of the same run.
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A machine-readable summary for CI next to the usual terminal output.
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
  },
});
