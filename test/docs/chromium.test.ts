/** Which browser the docs test drives: a system one when present, else the one inside @sparticuz/chromium. */
import { constants } from "node:fs";
import { access, chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "../helpers/chromium.js";

let dir: string;
let fakeSystemBrowser: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "aoct-chromium-"));
  fakeSystemBrowser = path.join(dir, "chromium");
  await writeFile(fakeSystemBrowser, "#!/bin/sh\n");
  await chmod(fakeSystemBrowser, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("findChromium", () => {
  it("takes CHROMIUM_PATH as given, ahead of a system browser", async () => {
    const choice = await findChromium({ CHROMIUM_PATH: "/opt/chrome/chrome" }, fakeSystemBrowser);
    expect(choice).toMatchObject({ executablePath: "/opt/chrome/chrome", source: "CHROMIUM_PATH" });
    expect(choice.args).toContain("--no-sandbox");
  });

  it("uses the system browser when it is installed", async () => {
    expect(await findChromium({}, fakeSystemBrowser)).toMatchObject({ executablePath: fakeSystemBrowser, source: "system" });
  });

  it("falls back to the Chromium inside @sparticuz/chromium, unpacked to an executable file", async () => {
    const choice = await findChromium({}, path.join(dir, "not-installed"));
    expect(choice.source).toBe("@sparticuz/chromium");
    expect(path.isAbsolute(choice.executablePath)).toBe(true);
    await expect(access(choice.executablePath, constants.X_OK)).resolves.toBeUndefined();
    expect(choice.args).toContain("--headless='shell'");
  }, 60_000);
});
