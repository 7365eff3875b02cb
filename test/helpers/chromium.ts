/**
 * Which Chromium the browser tests drive, and how to start it. A system browser wins when there is one
 * (`CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`); otherwise the Chromium shipped inside the
 * `@sparticuz/chromium` dev dependency is unpacked (to the OS temp folder, once) and used, so that
 * `npm ci && npm test` needs nothing from the system and never downloads a browser.
 */
import { accessSync, constants } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Flags that keep a test browser from talking to Google's services in the background. */
const QUIET_FLAGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];
/** What a system browser additionally needs to run headless in a container (often as root, without a GPU). */
const SYSTEM_FLAGS = ["--no-sandbox", "--disable-gpu"];

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for error messages and reports. */
  source: "CHROMIUM_PATH" | "system" | "@sparticuz/chromium";
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser to use. `CHROMIUM_PATH` is taken as given (a wrong path should fail loudly, not fall back);
 * `/usr/bin/chromium` only when it is there; else the bundled one.
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env, systemPath = DEBIAN_CHROMIUM): Promise<ChromiumChoice> {
  if (env.CHROMIUM_PATH) return { executablePath: env.CHROMIUM_PATH, args: [...SYSTEM_FLAGS, ...QUIET_FLAGS], source: "CHROMIUM_PATH" };
  if (isExecutable(systemPath)) return { executablePath: systemPath, args: [...SYSTEM_FLAGS, ...QUIET_FLAGS], source: "system" };
  // Imported only here: unpacking the bundled browser costs a couple of seconds the first time.
  const { default: bundled } = await import("@sparticuz/chromium");
  return { executablePath: await bundled.executablePath(), args: [...bundled.args, ...QUIET_FLAGS], source: "@sparticuz/chromium" };
}

/** Launches the chosen Chromium headless through playwright-core. */
export async function launchChromium(timeoutMs = 30_000): Promise<{ browser: Browser; choice: ChromiumChoice }> {
  const choice = await findChromium();
  try {
    const browser = await chromium.launch({ executablePath: choice.executablePath, args: choice.args, headless: true, timeout: timeoutMs });
    return { browser, choice };
  } catch (error) {
    throw new Error(`could not launch Chromium from ${choice.source} (${choice.executablePath}): ${(error as Error).message}`);
  }
}
