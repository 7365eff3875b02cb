/**
 * `npm run test:quick` (vitest.quick.config.ts) is the contributor's inner loop: `npm test` without what packs the
 * packages, starts a browser or Prism, or takes long by design. Its list of what it leaves out names real files, and
 * none of the files it keeps reaches for a browser, Prism or a packed build, so a new test file of that kind fails
 * here until it is put on the list, instead of quietly slowing the loop down.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LEFT_TO_THE_FULL_SUITE, NEEDS_ISOLATION } from "../../vitest.quick.config.js";
import { PROJECT_ROOT } from "../helpers/project.js";

const scripts = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const leftOut = Object.values(LEFT_TO_THE_FULL_SUITE).flat();

/** The test files `npm test` runs (vitest.config.ts: test/**\/*.test.ts but test/long/), relative to the root. */
function fullSuite(): string[] {
  return readdirSync(path.join(PROJECT_ROOT, "test"), { recursive: true, encoding: "utf8" })
    .map((file) => `test/${file.split(path.sep).join("/")}`)
    .filter((file) => file.endsWith(".test.ts") && !file.startsWith("test/long/"));
}

const THIS_FILE = "test/workflows/quick-loop.test.ts";
const isLeftOut = (file: string) => leftOut.some((entry) => (entry.endsWith("/") ? file.startsWith(entry) : file === entry));

/** What starts a browser, Prism or a build of the packages, as a test file imports or calls it. */
const SLOW_PARTS: Array<[string, RegExp]> = [
  ["a browser", /playwright-core|helpers\/chromium\.js/],
  ["Prism", /src\/mock\/(prism|index)\.js|running-mock\.js|\bstartMock\(/],
  ["a packed or built package", /package\/packed\.js|\bsharedBuild\(|\bbuiltCommand\(/],
];

function slowPartsOf(source: string): string[] {
  return SLOW_PARTS.filter(([, pattern]) => pattern.test(source)).map(([what]) => what);
}

describe("npm run test:quick", () => {
  it("is its own config, and npm test stays the whole suite", () => {
    expect(scripts["test:quick"]).toBe("vitest run --config vitest.quick.config.ts");
    expect(scripts.test).toBe("vitest run");
  });

  it("leaves out, and isolates, only files and folders that exist", () => {
    expect([...leftOut, ...NEEDS_ISOLATION].filter((entry) => !existsSync(path.join(PROJECT_ROOT, entry)))).toEqual([]);
  });

  it("keeps most of the suite", () => {
    const files = fullSuite();
    const kept = files.filter((file) => !isLeftOut(file));
    expect(files.length).toBeGreaterThan(70);
    expect(kept.length).toBeGreaterThan(files.length / 2);
  });

  it("keeps no file that starts a browser, Prism or a packed build", () => {
    const offenders = fullSuite()
      .filter((file) => !isLeftOut(file) && file !== THIS_FILE) // this file names them, in the check below
      .map((file) => ({ file, parts: slowPartsOf(readFileSync(path.join(PROJECT_ROOT, file), "utf8")) }))
      .filter((entry) => entry.parts.length > 0);
    expect(offenders).toEqual([]);
  });

  it("recognises each of those when it sees one (the check itself works)", () => {
    expect(slowPartsOf('import { launchChromium } from "../helpers/chromium.js";')).toEqual(["a browser"]);
    expect(slowPartsOf("const mock = await startMock({ port: 0 });")).toEqual(["Prism"]);
    expect(slowPartsOf("const packages = await sharedBuild();")).toEqual(["a packed or built package"]);
    expect(slowPartsOf('import { createEmulator } from "../../src/emulator/index.js";')).toEqual([]);
  });
});
