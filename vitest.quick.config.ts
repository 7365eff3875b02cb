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
  "packs the packages, installs them with npm, or runs their built commands": ["test/package/", "test/emulator/cli.test.ts", "test/emulator/state-cli.test.ts"],
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
    "test/contract/plan-tables.test.ts",
    "test/diff/cli.test.ts",
    "test/docs/code-samples.test.ts",
    "test/docs/offline-html.test.ts",
    "test/spec-tools/redocly.test.ts",
    "test/spec/generated.test.ts",
    "test/spec/lint.test.ts",
    "test/types/tsc.test.ts",
  ],
  "runs whole contract runs (Dredd through every transaction, often several times)": [
    "test/contract/cleanup.test.ts",
    "test/contract/drift.test.ts",
    "test/contract/live-tokens.test.ts",
    "test/contract/mutants-first.test.ts",
    "test/contract/mutants-second.test.ts",
    "test/contract/real-tenant.test.ts",
    "test/contract/requests.test.ts",
  ],
  "sends thousands of requests or holds large amounts of data by design (paging under every preset, replays, fuzzing, megabytes of options)": [
    "test/client/limits.test.ts",
    "test/emulator/free-form-objects.test.ts",
    "test/sdk/limits-paging.test.ts",
    "test/emulator/adjacent-replay.test.ts",
    "test/emulator/workbench.test.ts",
    "test/robustness/",
  ],
} as const;

/**
 * Test files that need a fresh module registry of their own: they change what the modules they import hold (the
 * loaded spec, on purpose) and would break every file that ran after them in the same worker.
 */
export const NEEDS_ISOLATION = ["test/emulator/start-up.test.ts"];

const leftOut = Object.values(LEFT_TO_THE_FULL_SUITE).flatMap((entries) => entries.map((entry) => (entry.endsWith("/") ? `${entry}**` : entry)));

const { include, exclude = [], ...fullSettings } = full.test ?? {};

export default defineConfig({
  test: {
    ...fullSettings,
    // The type-level tests (`*.test-d.ts`) need tsc over the whole project (tens of seconds here): `npm run
    // typecheck` runs it on its own, and `npm test` runs both.
    typecheck: { enabled: false },
    // The terminal only: reports/vitest.json stays the full suite's, which .ci/run reads.
    reporters: ["default"],
    outputFile: undefined,
    projects: [
      // Most of the time a test file spends is importing: the spec loaded and its validators compiled, once per
      // file when each file gets fresh modules. Files that leave no state behind (timers, spies and mocks are
      // restored after each test) share one module registry per worker instead, as vitest's performance guide
      // suggests; that roughly halves the loop's CPU. `npm test` keeps every file isolated and stays the authority.
      { extends: true, test: { name: "shared", isolate: false, include, exclude: [...exclude, ...leftOut, ...NEEDS_ISOLATION] } },
      { extends: true, test: { name: "isolated", include: NEEDS_ISOLATION } },
    ],
  },
});
