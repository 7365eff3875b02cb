/**
 * What `npm run emulator` does once its arguments are parsed: read the seed file, start the server, print the base
 * URL and a ready token (or, with `--print-env`, the environment a test run needs), and stop cleanly on SIGINT or
 * SIGTERM, or when the process that started it goes away. Kept out of scripts/ so the script only parses.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ADMIN_PREFIX } from "./admin.js";
import { allSpecScopes } from "./emulator.js";
import { watchParent } from "./parent-watch.js";
import { StateFileError } from "./state-file.js";
import { type AdminApiMode, type RunningEmulator, startEmulator } from "./server.js";
import type { EmulatorOptions, LimitsOption, OAuthClientOption, RateLimitOptions, SeedData } from "./types.js";
import { limiterSettings } from "./rate-limit.js";
import { UsageError } from "../shared/command-line.js";
import { ApiError } from "./errors.js";

const ADMIN_API_NOTE: Record<AdminApiMode, (url: string) => string> = {
  loopback: (url) => `${url}${ADMIN_PREFIX}/state (loopback callers only)`,
  "admin-token": (url) => `${url}${ADMIN_PREFIX}/state (send Authorization: Bearer <admin token>)`,
  off: () => "off (listening on a non-loopback address without --admin-token-file or AUTH0_EMULATOR_ADMIN_TOKEN)",
};

/** `--seed example`: the example seed that ships with the package (examples/seed.json here, dist/examples/ once built). */
export const EXAMPLE_SEED = "example";
const exampleSeedFile = () => fileURLToPath(new URL("../../examples/seed.json", import.meta.url));

export interface CliSettings {
  port: number;
  host: string;
  seedFile?: string;
  /** `--state`: the tenant is loaded from and kept in this file. */
  stateFile?: string;
  domain?: string;
  entityLimit?: number;
  rateLimit?: RateLimitOptions | false;
  /** `--limits <preset>`. */
  limits?: LimitsOption;
  /** `--limits <file.json>`: a limits shape of the user's own. */
  limitsFile?: string;
  /** `--admin-token-file`, `AUTH0_EMULATOR_ADMIN_TOKEN` or `--admin-token`: required as a bearer token on admin calls. */
  adminToken?: string;
  /** `--print-env`: the test environment's variables on stdout, the banner on stderr. */
  printEnv?: boolean;
  /** False with `--no-exit-with-parent`: keep running when the process that started it has gone. */
  exitWithParent?: boolean;
}

/** A problem found while starting: the reason in one line, exit code 2, no usage text. */
const startProblem = (message: string) => new UsageError(message, { showUsage: false });

/** A JSON file the command was given (`what`: "seed", "limits"), or a one-line problem that says why not. */
async function readJsonFile(file: string, path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw startProblem(`Cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw startProblem(`The ${what} file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export async function readSeedFile(file: string): Promise<SeedData> {
  return (await readJsonFile(file, file === EXAMPLE_SEED ? exampleSeedFile() : file, "seed")) as SeedData;
}

/** A `--limits` file, checked before anything starts (every mistake is a usage error naming the field). */
export async function readLimitsFile(file: string): Promise<LimitsOption> {
  const limits = (await readJsonFile(file, file, "limits")) as LimitsOption;
  try {
    limiterSettings({ limits });
  } catch (error) {
    throw startProblem(`The limits file ${file} is not usable: ${(error as Error).message}`);
  }
  return limits;
}

/** One line on the limits in force: the preset (or "custom"), and the tenant bucket. */
function describeLimits(state: ReturnType<RunningEmulator["limits"]["state"]>): string {
  const tenant = state.buckets.find((bucket) => bucket.appliesTo === "every request");
  const groups = state.buckets.length - (tenant ? 1 : 0);
  const tenantText = tenant ? `tenant bucket ${tenant.burst} burst, ${tenant.rate}` : "no tenant bucket";
  return `${state.preset ?? "custom"}: ${tenantText}, ${groups} endpoint group(s)${state.enforced ? "" : " (not enforced)"} — GET ${ADMIN_PREFIX}/limits`;
}

/** A running emulator and the application a test run logs in with (the seed's first one with a secret, else one made up). */
export interface StartedEmulator {
  running: RunningEmulator;
  application: { clientId: string; clientSecret: string };
}

/** Reads the seed and starts the server; what cannot work is a UsageError saying why, in one line. */
export async function startFromSettings(settings: CliSettings): Promise<StartedEmulator> {
  const options: EmulatorOptions = {
    domain: settings.domain,
    entityLimit: settings.entityLimit,
    rateLimit: settings.rateLimit,
    limits: settings.limits,
    adminToken: settings.adminToken,
    state: settings.stateFile,
  };
  if (settings.seedFile) options.seed = await readSeedFile(settings.seedFile);
  if (settings.limitsFile) options.limits = await readLimitsFile(settings.limitsFile);
  const seeded = (Array.isArray(options.seed?.clients) ? options.seed.clients : []).find(
    (client) => typeof client?.client_secret === "string" && client.client_secret !== "",
  );
  let application = seeded ? { clientId: seeded.client_id, clientSecret: seeded.client_secret as string } : undefined;
  if (!application) {
    // No seeded application with a secret: one for this run only, so that client credentials always work.
    const made: OAuthClientOption = { clientId: "auth0-emulator-app", clientSecret: randomBytes(24).toString("base64url"), scopes: allSpecScopes() };
    options.clients = [made];
    application = { clientId: made.clientId, clientSecret: made.clientSecret };
  }
  try {
    return { running: await startEmulator({ ...options, port: settings.port, host: settings.host }), application };
  } catch (error) {
    if (error instanceof ApiError) throw startProblem(`The seed is invalid: ${error.message}`);
    if (error instanceof StateFileError) throw new UsageError(error.message);
    if (error instanceof TypeError && /adminToken/.test(error.message)) throw new UsageError(error.message.replace("adminToken", "The admin token"));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw startProblem(`Port ${settings.port} on ${settings.host} is already in use.`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw startProblem(`Cannot listen on ${settings.host}.`);
    throw error;
  }
}

/**
 * The variables a test run needs (the names Auth0's own tools read, plus the emulator's address):
 * `AUTH0_DOMAIN`, `AUTH0_AUDIENCE`, `AUTH0_EMULATOR_URL`, `AUTH0_TOKEN` (every scope, 24 h),
 * `AUTH0_CLIENT_ID` and `AUTH0_CLIENT_SECRET`.
 */
export async function testEnvironment({ running, application }: StartedEmulator): Promise<Record<string, string>> {
  return {
    AUTH0_DOMAIN: running.domain,
    AUTH0_AUDIENCE: running.audience,
    AUTH0_EMULATOR_URL: running.url,
    AUTH0_TOKEN: await running.issueToken(),
    AUTH0_CLIENT_ID: application.clientId,
    AUTH0_CLIENT_SECRET: application.clientSecret,
  };
}

/** Calls `stop` once, on SIGINT, SIGTERM or SIGHUP, or when the process that started this one goes away. */
export function onStopRequest(settings: CliSettings, stop: (reason: string, signal?: NodeJS.Signals) => void): () => void {
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  let unwatch = () => {};
  const stopListening = () => {
    for (const name of signals) process.off(name, onSignal);
    unwatch();
  };
  const finish = (reason: string, signal?: NodeJS.Signals) => {
    stopListening();
    stop(reason, signal);
  };
  const onSignal = (signal: NodeJS.Signals) => finish(`Received ${signal}`, signal);
  for (const name of signals) process.on(name, onSignal);
  if (settings.exitWithParent !== false) unwatch = watchParent(() => finish("The process that started it has exited", "SIGTERM"));
  return stopListening;
}

/** Starts the emulator and resolves once it has stopped after a signal, or once its parent has gone. */
export async function runEmulatorCli(settings: CliSettings, out: (line: string) => void = console.log): Promise<void> {
  const started = await startFromSettings(settings);
  const { running } = started;
  const env = settings.printEnv ? await testEnvironment(started) : undefined;
  const token = env?.AUTH0_TOKEN ?? (await running.issueToken());
  // With --print-env stdout carries only the variables; the banner goes to stderr.
  const banner = env ? (line: string) => console.error(line) : out;
  // Listen for the stop requests before announcing readiness: stdout to a pipe is written synchronously, so
  // whoever reads the announcement may signal before the next line of this function runs.
  const stopped = new Promise<void>((resolve) => {
    onStopRequest(settings, (reason) => {
      // Whoever read stdout may be gone (its parent was): a failed write must not stop the shutdown.
      process.stdout.on("error", () => undefined);
      banner(`${reason}, shutting down.`);
      void running.close().then(resolve, resolve);
    });
  });
  banner(`Auth0 emulator for ${running.domain} listening on ${running.url}`);
  banner(`Base URL:  ${running.baseUrl}`);
  banner(`Audience:  ${running.audience} (or ${running.baseUrl}/)`);
  banner(`Token URL: ${running.url}/oauth/token`);
  banner(`Ready:     ${running.url}${ADMIN_PREFIX}/ready`);
  banner(`Admin API: ${ADMIN_API_NOTE[running.adminApi](running.url)}`);
  banner(`Rate limits: ${describeLimits(running.limits.state())}`);
  if (running.adminApi === "loopback") banner(`Dashboard: ${running.url}${ADMIN_PREFIX}/ (open it in a browser on this machine)`);
  if (settings.stateFile) banner(`State:     ${settings.stateFile} (written after every change and on exit)`);
  if (env) {
    for (const [name, value] of Object.entries(env)) out(`${name}=${value}`);
  } else {
    out(`Token (every scope, valid 24 h):`);
    out(token);
  }
  await stopped;
}
