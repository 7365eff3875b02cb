/**
 * Which Chromium the browser tests drive, and how to start it. A system browser wins when there is one
 * (`CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`); otherwise the Chromium shipped inside the
 * `@sparticuz/chromium` dev dependency is unpacked (to the OS temp folder, once) and used, so that
 * `npm ci && npm test` needs nothing from the system and never downloads a browser.
 */
import { accessSync, constants, mkdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

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
  const executablePath = await oneProcessAtATime(() => bundled.executablePath());
  return { executablePath, args: [...bundled.args, ...QUIET_FLAGS], source: "@sparticuz/chromium" };
}

const UNPACK_LOCK = path.join(tmpdir(), "aoct-chromium-unpack.lock");

/**
 * The package unpacks its browser to a fixed file in the temp folder and treats an existing file as done, so
 * two test workers unpacking at once could launch a half-written browser. A lock directory (mkdir is atomic)
 * lets one unpack while the others wait; a lock older than two minutes is left over from a killed run.
 */
async function oneProcessAtATime<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(UNPACK_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (statSync(UNPACK_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(UNPACK_LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another process has held ${UNPACK_LOCK} for too long`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(UNPACK_LOCK, { recursive: true, force: true });
  }
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

/** A page whose requests can only reach this machine, and what it tried beyond that. */
export interface OfflinePage {
  browser: Browser;
  page: Page;
  /** Requests the page tried to send to a host `isLocal` refused: aborted, and recorded here. */
  leftTheMachine: string[];
  /** Script errors and console errors, in order. */
  pageErrors: string[];
}

/**
 * Launches Chromium and opens one page on which every request for a host `isLocal` refuses is recorded and never
 * sent, and every script or console error is collected: what a test of a page that must work offline checks last.
 */
export async function openPageOffline(options: { viewport: { width: number; height: number }; isLocal: (url: URL) => boolean }): Promise<OfflinePage> {
  const { browser } = await launchChromium();
  const context = await browser.newContext({ viewport: options.viewport });
  const leftTheMachine: string[] = [];
  const pageErrors: string[] = [];
  await context.route(
    (url) => !options.isLocal(url),
    async (route) => {
      leftTheMachine.push(route.request().url());
      await route.abort("blockedbyclient");
    },
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000); // generous: the suite runs other workers beside the browser
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => void (message.type() === "error" && pageErrors.push(message.text())));
  return { browser, page, leftTheMachine, pageErrors };
}
