/**
 * What `npm run emulator` does once its arguments are parsed: read the seed file, start the server, print the base
 * URL and a ready token, and stop cleanly on SIGINT/SIGTERM. Kept out of scripts/ so the script only parses.
 */
import { readFile } from "node:fs/promises";
import { ADMIN_PREFIX } from "./admin.js";
import { ApiError } from "./responses.js";
import { type AdminApiMode, type RunningEmulator, startEmulator } from "./server.js";
import type { EmulatorOptions, LimitsOption, RateLimitOptions, SeedData } from "./types.js";
import { limiterSettings } from "./rate-limit.js";
import { UsageError } from "../shared/command-line.js";

const ADMIN_API_NOTE: Record<AdminApiMode, (url: string) => string> = {
  loopback: (url) => `${url}${ADMIN_PREFIX}/state (loopback callers only)`,
  "admin-token": (url) => `${url}${ADMIN_PREFIX}/state (send Authorization: Bearer <admin token>)`,
  off: () => "off (listening on a non-loopback address without --admin-token or AUTH0_EMULATOR_ADMIN_TOKEN)",
};

/** A problem with the command line or its files (the project's one usage error: the exit code is 2). */
export { UsageError };

export interface CliSettings {
  port: number;
  host: string;
  seedFile?: string;
  domain?: string;
  entityLimit?: number;
  rateLimit?: RateLimitOptions | false;
  /** `--limits <preset>`. */
  limits?: LimitsOption;
  /** `--limits <file.json>`: a limits shape of the user's own. */
  limitsFile?: string;
  /** `--admin-token` or `AUTH0_EMULATOR_ADMIN_TOKEN`: required as a bearer token on admin calls. */
  adminToken?: string;
}

/** A JSON file the command was given (`what`: "seed", "limits"), or a usage error that says why not. */
async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`The ${what} file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export async function readSeedFile(file: string): Promise<SeedData> {
  return (await readJsonFile(file, "seed")) as SeedData;
}

/** A `--limits` file, checked before anything starts (every mistake is a usage error naming the field). */
export async function readLimitsFile(file: string): Promise<LimitsOption> {
  const limits = (await readJsonFile(file, "limits")) as LimitsOption;
  try {
    limiterSettings({ limits });
  } catch (error) {
    throw new UsageError(`The limits file ${file} is not usable: ${(error as Error).message}`);
  }
  return limits;
}

/** One line on the limits in force: the preset (or "your own"), and the tenant bucket. */
function describeLimits(state: ReturnType<RunningEmulator["limits"]["state"]>): string {
  const tenant = state.buckets.find((bucket) => bucket.appliesTo === "every request");
  const groups = state.buckets.length - (tenant ? 1 : 0);
  const tenantText = tenant ? `tenant bucket ${tenant.burst} burst, ${tenant.rate}` : "no tenant bucket";
  return `${state.preset ?? "custom"}: ${tenantText}, ${groups} endpoint group(s)${state.enforced ? "" : " (not enforced)"} — GET ${ADMIN_PREFIX}/limits`;
}

/** Starts the emulator and resolves once it has stopped after a signal. */
export async function runEmulatorCli(settings: CliSettings, out: (line: string) => void = console.log): Promise<void> {
  const options: EmulatorOptions = { domain: settings.domain, entityLimit: settings.entityLimit, rateLimit: settings.rateLimit, limits: settings.limits, adminToken: settings.adminToken };
  if (settings.seedFile) options.seed = await readSeedFile(settings.seedFile);
  if (settings.limitsFile) options.limits = await readLimitsFile(settings.limitsFile);

  let running;
  try {
    running = await startEmulator({ ...options, port: settings.port, host: settings.host });
  } catch (error) {
    if (error instanceof ApiError) throw new UsageError(`The seed is invalid: ${error.message}`);
    if (error instanceof TypeError && /adminToken/.test(error.message)) throw new UsageError(error.message.replace("adminToken", "The admin token"));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UsageError(`Port ${settings.port} on ${settings.host} is already in use.`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UsageError(`Cannot listen on ${settings.host}.`);
    throw error;
  }
  const token = await running.issueToken();
  // Listen for the stop signals before announcing readiness: stdout to a pipe is written synchronously, so
  // whoever reads the announcement may signal before the next line of this function runs.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      out(`Received ${signal}, shutting down.`);
      void running.close().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  out(`Auth0 emulator for ${running.domain} listening on ${running.url}`);
  out(`Base URL:  ${running.baseUrl}`);
  out(`Token URL: ${running.url}/oauth/token`);
  out(`Admin API: ${ADMIN_API_NOTE[running.adminApi](running.url)}`);
  out(`Rate limits: ${describeLimits(running.limits.state())}`);
  out(`Token (every scope, valid 24 h):`);
  out(token);
  await stopped;
}
