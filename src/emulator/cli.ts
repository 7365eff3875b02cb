/**
 * What `npm run emulator` does once its arguments are parsed: read the seed file, start the server, print the base
 * URL and a ready token, and stop cleanly on SIGINT/SIGTERM. Kept out of scripts/ so the script only parses.
 */
import { readFile } from "node:fs/promises";
import { ADMIN_PREFIX } from "./admin.js";
import { ApiError } from "./responses.js";
import { type AdminApiMode, startEmulator } from "./server.js";
import type { EmulatorOptions, RateLimitOptions, SeedData } from "./types.js";
import { UsageError } from "../shared/command-line.js";

const ADMIN_API_NOTE: Record<AdminApiMode, (url: string) => string> = {
  loopback: (url) => `${url}${ADMIN_PREFIX}/state (loopback callers only)`,
  "admin-token": (url) => `${url}${ADMIN_PREFIX}/state (send Authorization: Bearer <admin token>)`,
  off: () => "off (listening on a non-loopback address without --admin-token-file or AUTH0_EMULATOR_ADMIN_TOKEN)",
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
  /** `--admin-token-file`, `AUTH0_EMULATOR_ADMIN_TOKEN` or `--admin-token`: required as a bearer token on admin calls. */
  adminToken?: string;
  /** What the user should hear about the command line before it starts (e.g. a secret given as an argument). */
  warnings?: string[];
}

export async function readSeedFile(file: string): Promise<SeedData> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read the seed file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text) as SeedData;
  } catch (error) {
    throw new UsageError(`The seed file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Starts the emulator and resolves once it has stopped after a signal. */
export async function runEmulatorCli(settings: CliSettings, out: (line: string) => void = console.log): Promise<void> {
  const options: EmulatorOptions = { domain: settings.domain, entityLimit: settings.entityLimit, rateLimit: settings.rateLimit, adminToken: settings.adminToken };
  if (settings.seedFile) options.seed = await readSeedFile(settings.seedFile);

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
  out(`Token (every scope, valid 24 h):`);
  out(token);
  await stopped;
}
