/**
 * The emulator's command line, shared by `npm run emulator` (scripts/emulator.ts) and the installed
 * `auth0-emulator` command (bin.ts): parse the arguments, then let cli.ts (or exec.ts) do the work.
 *   [exec] [--port 8787] [--host 127.0.0.1] [--seed file.json | example] [--state file.json] [--domain emulator.local]
 *   [--entity-limit 10] [--limits <preset>|<file.json> | --rate-limit <n>/<windowMs> | --no-rate-limit]
 *   [--admin-token-file <file>]
 *   [--print-env] [--no-exit-with-parent] [-- <command>]
 */
import { readFileSync } from "node:fs";
import { API_BASE_PATH } from "../../generated/spec-facts.js";
import { type CommandIo, consoleIo, parseCommandLine, runCommandLine, wholeNumberOption } from "../shared/command-line.js";
import { runEmulatorCli, type CliSettings, UsageError } from "./cli.js";
import { runExec } from "./exec.js";
import { LIMIT_PRESETS } from "./limits/presets.js";
import { DEFAULT_RATE_LIMIT } from "./rate-limit.js";

const usage = (command: string) => `Usage: ${command} [options]
       ${command} exec [options] -- <command> [args...]

  exec -- <command>       start the emulator, run the command with AUTH0_DOMAIN, AUTH0_AUDIENCE,
                          AUTH0_EMULATOR_URL, AUTH0_TOKEN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET set,
                          stop the emulator and exit with the command's status (one argument is run
                          by the shell; --port defaults to 0, a free port, for exec)
  --port <n>              port to listen on (default 8787; 0 picks a free one)
  --host <address>        address to listen on (default 127.0.0.1); any other address turns the
                          admin API off unless an admin token is given
  --admin-token-file <file>
                          require Authorization: Bearer <the file's secret> (16+ characters) on admin
                          API calls, from any address; or set AUTH0_EMULATOR_ADMIN_TOKEN
  --admin-token <secret>  the same, but other local users can read a command line (ps, /proc) and npm
                          echoes it: prefer the file or the environment
  --seed <file.json>      tenant contents to start with (organizations, connections, clients, links);
                          --seed example is the example seed that ships with the package
  --state <file.json>     keep the tenant in this file: loaded at start when it exists (else the seed
                          is used), written after every change and on exit; client secrets are never
                          written (give --seed too for applications to keep getting tokens)
  --domain <domain>       tenant domain; tokens' audience is https://<domain>${API_BASE_PATH}/ (default emulator.local)
  --entity-limit <n>      connections per organization (default 10)
  --limits <preset|file>  Auth0's rate limits for a subscription type (token buckets: the tenant's and
                          its endpoint groups'), one of: ${Object.keys(LIMIT_PRESETS).join(", ")};
                          or a JSON file of your own shape (see the emulator README)
  --rate-limit <n>/<ms>   one tenant bucket: a burst of n, refilled at n per ms
                          (default ${DEFAULT_RATE_LIMIT.limit}/${DEFAULT_RATE_LIMIT.windowMs})
  --no-rate-limit         never answer 429 (the x-ratelimit-* headers are still sent)
  --print-env             print AUTH0_…=value lines (as exec sets them) on stdout once ready; the
                          banner goes to stderr
  --no-exit-with-parent   keep running when the process that started it exits (by default it stops)
  -h, --help              show this help`;

/** The command's options, parsed by the project's one command-line convention (src/shared/command-line.ts). */
const EMULATOR_OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  seed: { type: "string" },
  state: { type: "string" },
  domain: { type: "string" },
  "entity-limit": { type: "string" },
  "rate-limit": { type: "string" },
  limits: { type: "string" },
  "no-rate-limit": { type: "boolean" },
  "admin-token": { type: "string" },
  "print-env": { type: "boolean" },
  "no-exit-with-parent": { type: "boolean" },
  "admin-token-file": { type: "string" },
} as const;

/** Printed (to stderr) when the admin token is given on the command line. */
export const ADMIN_TOKEN_FLAG_WARNING =
  "warning: --admin-token on the command line can be read by other local users (ps, /proc/<pid>/cmdline) and is echoed by npm into logs; use --admin-token-file FILE or AUTH0_EMULATOR_ADMIN_TOKEN";

/** The admin token from its file: the whole file, without the line break an editor or `echo` leaves at its end. */
function readAdminTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read the admin token file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const token = text.replace(/\r?\n$/, "");
  if (token === "") throw new UsageError(`The admin token file ${file} is empty`);
  return token;
}

const wholeNumber = (name: string, value: string, max = Number.MAX_SAFE_INTEGER) => wholeNumberOption(name, value, 0, max);

/** What the command line asks for: serve, or run a command around an emulator (`exec`). */
export type EmulatorInvocation = { kind: "serve"; settings: CliSettings } | { kind: "exec"; settings: CliSettings; command: string[] };

/** The invocation, or "help"; a malformed command line throws a UsageError. */
export function parseEmulatorInvocation(argv: string[]): EmulatorInvocation | "help" {
  if (argv[0] !== "exec") {
    const settings = parseEmulatorArguments(argv);
    return settings === "help" ? "help" : { kind: "serve", settings };
  }
  const separator = argv.indexOf("--");
  const command = separator < 0 ? [] : argv.slice(separator + 1);
  const options = separator < 0 ? argv.slice(1) : argv.slice(1, separator);
  // exec's emulator is for the command alone: a free port unless one is asked for.
  const settings = parseEmulatorArguments(options, "0");
  if (settings === "help") return "help";
  if (command.length === 0 || command[0] === "") throw new UsageError("exec needs a command after --, e.g. exec -- npx vitest run");
  return { kind: "exec", settings, command };
}

/** The settings for `runEmulatorCli`, or "help"; a malformed command line throws a UsageError. */
export function parseEmulatorArguments(argv: string[], defaultPort = "8787"): CliSettings | "help" {
  const values = parseCommandLine(EMULATOR_OPTIONS, argv);
  if (values === "help") return "help";
  const settings: CliSettings = { port: wholeNumber("port", values.port ?? defaultPort, 65_535), host: values.host ?? "127.0.0.1" };
  if (values["print-env"]) settings.printEnv = true;
  if (values["no-exit-with-parent"]) settings.exitWithParent = false;
  if (values.host !== undefined && values.host.trim() === "") throw new UsageError("--host must not be empty");
  if (values.seed !== undefined) settings.seedFile = values.seed;
  if (values.state !== undefined) {
    if (values.state.trim() === "") throw new UsageError("--state must name a file");
    settings.stateFile = values.state;
  }
  if (values.domain !== undefined) {
    if (!/^[a-z0-9.-]+(:\d+)?$/i.test(values.domain)) throw new UsageError(`--domain must be a host name, not "${values.domain}"`);
    settings.domain = values.domain;
  }
  if (values["entity-limit"] !== undefined) settings.entityLimit = wholeNumber("entity-limit", values["entity-limit"]);
  const limitOptions = ["limits", "rate-limit", "no-rate-limit"].filter((name) => values[name as keyof typeof values] !== undefined);
  if (limitOptions.length > 1) throw new UsageError(`use only one of ${limitOptions.map((name) => `--${name}`).join(", ")}`);
  if (values.limits !== undefined) {
    if (values.limits.trim() === "") throw new UsageError("--limits needs a preset name or a JSON file");
    // A preset name, or else a file (a name with a path separator or a .json ending is always a file).
    if (Object.hasOwn(LIMIT_PRESETS, values.limits)) settings.limits = values.limits as CliSettings["limits"];
    else if (/[\\/]|\.json$/i.test(values.limits)) settings.limitsFile = values.limits;
    else throw new UsageError(`--limits "${values.limits}" is neither a preset (${Object.keys(LIMIT_PRESETS).join(", ")}) nor a .json file`);
  }
  if (values["no-rate-limit"]) settings.rateLimit = false;
  if (values["rate-limit"] !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(values["rate-limit"]);
    if (!match || Number(match[1]) === 0 || Number(match[2]) === 0)
      throw new UsageError(`--rate-limit must look like 50/1000 (a burst of 1 or more, refilled per that many ms), not "${values["rate-limit"]}"`);
    settings.rateLimit = { limit: Number(match[1]), windowMs: Number(match[2]) };
  }
  if (values["admin-token"] !== undefined && values["admin-token-file"] !== undefined)
    throw new UsageError("give --admin-token or --admin-token-file, not both");
  const fromFile = values["admin-token-file"] === undefined ? undefined : readAdminTokenFile(values["admin-token-file"]);
  const adminToken = fromFile ?? values["admin-token"] ?? (process.env.AUTH0_EMULATOR_ADMIN_TOKEN || undefined);
  if (adminToken !== undefined) settings.adminToken = adminToken;
  if (values["admin-token"] !== undefined) settings.warnings = [ADMIN_TOKEN_FLAG_WARNING];
  return settings;
}

/**
 * The emulator command under the name the user typed (for the usage text), run by the project's one command
 * runner: help exits 0, a usage error prints one line (plus the usage when the command line is wrong) and exits 2,
 * any other failure one line and exit 1; `exec` exits with its command's status. Returns the exit code; the bin
 * (or the script) exits with it.
 */
export function emulatorCommand(argv: string[], command: string, io: CommandIo = consoleIo): Promise<number> {
  const name = command.startsWith("npm run") ? "emulator" : command;
  return runCommandLine({ name, usage: usage(command), io }, async () => {
    const invocation = parseEmulatorInvocation(argv);
    if (invocation === "help") return "help";
    for (const warning of invocation.settings.warnings ?? []) io.err(`${name}: ${warning}`);
    if (invocation.kind === "exec") return runExec(invocation.settings, invocation.command);
    await runEmulatorCli(invocation.settings);
  });
}
