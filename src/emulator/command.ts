/**
 * The emulator's command line, shared by `npm run emulator` (scripts/emulator.ts) and the installed
 * `auth0-emulator` command (bin.ts): parse the arguments, then let cli.ts do the work.
 *   [--port 8787] [--host 127.0.0.1] [--seed file.json] [--domain emulator.local]
 *   [--entity-limit 10] [--rate-limit <n>/<windowMs> | --no-rate-limit] [--admin-token-file <file>]
 */
import { readFileSync } from "node:fs";
import { parseCommandLine, wholeNumberOption } from "../shared/command-line.js";
import { runEmulatorCli, type CliSettings, UsageError } from "./cli.js";
import { DEFAULT_RATE_LIMIT } from "./rate-limit.js";

const usage = (command: string) => `Usage: ${command} [options]

  --port <n>              port to listen on (default 8787; 0 picks a free one)
  --host <address>        address to listen on (default 127.0.0.1); any other address turns the
                          admin API off unless an admin token is given
  --admin-token-file <file>
                          require Authorization: Bearer <the file's secret> (16+ characters) on admin
                          API calls, from any address; or set AUTH0_EMULATOR_ADMIN_TOKEN
  --admin-token <secret>  the same, but other local users can read a command line (ps, /proc) and npm
                          echoes it: prefer the file or the environment
  --seed <file.json>      tenant contents to start with (organizations, connections, clients, links)
  --domain <domain>       tenant domain; tokens' audience is https://<domain>/api/v2/ (default emulator.local)
  --entity-limit <n>      connections per organization (default 10)
  --rate-limit <n>/<ms>   allow n requests per ms-long window (default ${DEFAULT_RATE_LIMIT.limit}/${DEFAULT_RATE_LIMIT.windowMs})
  --no-rate-limit         never answer 429
  -h, --help              show this help`;

/** The command's options, parsed by the project's one command-line convention (src/shared/command-line.ts). */
const EMULATOR_OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  seed: { type: "string" },
  domain: { type: "string" },
  "entity-limit": { type: "string" },
  "rate-limit": { type: "string" },
  "no-rate-limit": { type: "boolean" },
  "admin-token": { type: "string" },
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

/** The settings for `runEmulatorCli`, or "help"; a malformed command line throws a UsageError. */
export function parseEmulatorArguments(argv: string[]): CliSettings | "help" {
  const values = parseCommandLine(EMULATOR_OPTIONS, argv);
  if (values === "help") return "help";
  const settings: CliSettings = { port: wholeNumber("port", values.port ?? "8787", 65_535), host: values.host ?? "127.0.0.1" };
  if (values.host !== undefined && values.host.trim() === "") throw new UsageError("--host must not be empty");
  if (values.seed !== undefined) settings.seedFile = values.seed;
  if (values.domain !== undefined) {
    if (!/^[a-z0-9.-]+(:\d+)?$/i.test(values.domain)) throw new UsageError(`--domain must be a host name, not "${values.domain}"`);
    settings.domain = values.domain;
  }
  if (values["entity-limit"] !== undefined) settings.entityLimit = wholeNumber("entity-limit", values["entity-limit"]);
  if (values["rate-limit"] !== undefined && values["no-rate-limit"]) throw new UsageError("use either --rate-limit or --no-rate-limit");
  if (values["no-rate-limit"]) settings.rateLimit = false;
  if (values["rate-limit"] !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(values["rate-limit"]);
    if (!match || Number(match[2]) === 0) throw new UsageError(`--rate-limit must look like 50/1000 (requests per window in ms), not "${values["rate-limit"]}"`);
    settings.rateLimit = { limit: Number(match[1]), windowMs: Number(match[2]) };
  }
  if (values["admin-token"] !== undefined && values["admin-token-file"] !== undefined) throw new UsageError("give --admin-token or --admin-token-file, not both");
  const fromFile = values["admin-token-file"] === undefined ? undefined : readAdminTokenFile(values["admin-token-file"]);
  const adminToken = fromFile ?? values["admin-token"] ?? (process.env.AUTH0_EMULATOR_ADMIN_TOKEN || undefined);
  if (adminToken !== undefined) settings.adminToken = adminToken;
  if (values["admin-token"] !== undefined) settings.warnings = [ADMIN_TOKEN_FLAG_WARNING];
  return settings;
}

/**
 * Runs the emulator command under the name the user typed (for the usage text): help exits 0, a usage error
 * prints one line plus the usage and exits 2, any other failure one line and exit 1.
 */
export async function emulatorCommand(argv: string[], command: string): Promise<void> {
  const name = command.startsWith("npm run") ? "emulator" : command;
  try {
    const settings = parseEmulatorArguments(argv);
    if (settings === "help") console.log(usage(command));
    else {
      for (const warning of settings.warnings ?? []) console.error(`${name}: ${warning}`);
      await runEmulatorCli(settings);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${name}: ${error.message}\n\n${usage(command)}`);
      process.exit(2);
    }
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
