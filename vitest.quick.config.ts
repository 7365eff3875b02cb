/**
 * `npm run test:quick`: the contributor's inner loop, under 30 s on the project's 2-core machine. It is `npm test`
 * without the files that pack or install the packages, start a browser or Prism, spawn the project's commands or
 * tools as child processes, or spend many seconds of CPU by design (whole contract runs, fuzzing, tsc over the
 * project). What is left runs in-process: the spec's own tests, the client, the emulator, the contract's parts, the
 * official SDKs against the in-process emulator. `npm test` (vitest.config.ts) stays the full suite and CI runs it;
 * test/workflows/quick-loop.test.ts keeps this list honest.
 */
import { defineConfig } from "vitest/config";
import full from "./vitest.config.js";

/** What the quick loop leaves to `npm test`, each group with the reason: test files and folders (ending in `/`). */
export const LEFT_TO_THE_FULL_SUITE = {
  "packs the packages, installs them with npm, or runs their built commands": [
    "test/package/",
    "test/emulator/cli.test.ts",
    "test/emulator/state-cli.test.ts",
  ],
  "drives a real Chromium": [
    "test/docs/browser.test.ts",
    "test/docs/chromium.test.ts",
    "test/emulator/dashboard.test.ts",
    "test/contract/proxy-rebinding.test.ts",
  ],
  "starts Prism": ["test/mock/", "test/sdk/prism-paging.test.ts", "test/contract/emulator.test.ts"],
  "spawns the project's commands or tools (npm run, tsx, tsc, redocly) as child processes": [
    "test/contract/cli.test.ts",
    "test/contract/secrets.test.ts",
    "test/contract/journal.test.ts",
    "test/contract/official-diff-command.test.ts",
    "test/diff/cli.test.ts",
    "test/docs/code-samples.test.ts",
    "test/docs/offline-html.test.ts",
    "test/spec-tools/redocly.test.ts",
    "test/spec/generated.test.ts",
    "test/spec/lint.test.ts",
    "test/types/tsc.test.ts",
  ],
  "runs whole contract runs or fuzzes by design (tens of seconds of CPU)": [
    "test/contract/cleanup.test.ts",
    "test/contract/mutants-first.test.ts",
    "test/contract/mutants-second.test.ts",
    "test/contract/real-tenant.test.ts",
    "test/robustness/",
  ],
} as const;

export default defineConfig({
  test: {
    ...full.test,
    exclude: [...(full.test?.exclude ?? []), ...Object.values(LEFT_TO_THE_FULL_SUITE).flatMap((entries) => entries.map((entry) => (entry.endsWith("/") ? `${entry}**` : entry)))],
    // The type-level tests (`*.test-d.ts`) need tsc over the whole project (tens of seconds here): `npm run
    // typecheck` runs it on its own, and `npm test` runs both.
    typecheck: { enabled: false },
    // The terminal only: reports/vitest.json stays the full suite's, which .ci/run reads.
    reporters: ["default"],
    outputFile: undefined,
  },
});
