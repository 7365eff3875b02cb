/**
 * The emulator's command line, shared by `npm run emulator` (scripts/emulator.ts) and the installed
 * `auth0-emulator` command (bin.ts): the options it declares, checked into settings, for cli.ts (or exec.ts) to
 * act on. The shared runner (src/shared/command-line.ts) parses them and says what is wrong.
 *   [exec] [--port 8787] [--host 127.0.0.1] [--seed file.json | example] [--state file.json] [--domain emulator.local]
 *   [--entity-limit 10] [--limits <preset>|<file.json> | --rate-limit <n>/<windowMs> | --no-rate-limit]
 *   [--admin-token-file <file>]
 *   [--print-env] [--no-exit-with-parent] [-- <command>]
 */
import { readFileSync } from "node:fs";
import { API_BASE_PATH } from "../../generated/spec-facts.js";
import { type CommandContext, type CommandIo, consoleIo, type ParsedValues, runCommand, UsageError, wholeNumberOption } from "../shared/command-line.js";
import { runEmulatorCli, type CliSettings } from "./cli.js";
import { runExec } from "./exec.js";
import { isLimitPreset, LIMIT_PRESETS } from "./limits/presets.js";
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

/** The options as the runner hands them over: parsed and typed, not yet checked against each other. */
type EmulatorValues = ParsedValues<typeof EMULATOR_OPTIONS>;

/** The admin token: from its file, the option, or the environment (in that order); a token on the command line warns. */
function adminTokenSettings(values: EmulatorValues, warn: (text: string) => void): Pick<CliSettings, "adminToken"> {
  if (values["admin-token"] !== undefined && values["admin-token-file"] !== undefined)
    throw new UsageError("give --admin-token or --admin-token-file, not both");
  const fromFile = values["admin-token-file"] === undefined ? undefined : readAdminTokenFile(values["admin-token-file"]);
  const adminToken = fromFile ?? values["admin-token"] ?? (process.env.AUTH0_EMULATOR_ADMIN_TOKEN || undefined);
  if (values["admin-token"] !== undefined) warn(ADMIN_TOKEN_FLAG_WARNING);
  return adminToken === undefined ? {} : { adminToken };
}

/** `--limits`, `--rate-limit` or `--no-rate-limit` (one of them at most) as settings. */
function limitSettings(values: EmulatorValues): Pick<CliSettings, "limits" | "limitsFile" | "rateLimit"> {
  const limitOptions = (["limits", "rate-limit", "no-rate-limit"] as const).filter((name) => values[name] !== undefined);
  if (limitOptions.length > 1) throw new UsageError(`use only one of ${limitOptions.map((name) => `--${name}`).join(", ")}`);
  if (values.limits !== undefined) {
    if (values.limits.trim() === "") throw new UsageError("--limits needs a preset name or a JSON file");
    // A preset name, or else a file (a name with a path separator or a .json ending is always a file).
    if (isLimitPreset(values.limits)) return { limits: values.limits };
    if (/[\\/]|\.json$/i.test(values.limits)) return { limitsFile: values.limits };
    throw new UsageError(`--limits "${values.limits}" is neither a preset (${Object.keys(LIMIT_PRESETS).join(", ")}) nor a .json file`);
  }
  if (values["no-rate-limit"]) return { rateLimit: false };
  if (values["rate-limit"] === undefined) return {};
  const match = /^(\d+)\/(\d+)$/.exec(values["rate-limit"]);
  if (!match || Number(match[1]) === 0 || Number(match[2]) === 0)
    throw new UsageError(`--rate-limit must look like 50/1000 (a burst of 1 or more, refilled per that many ms), not "${values["rate-limit"]}"`);
  return { rateLimit: { limit: Number(match[1]), windowMs: Number(match[2]) } };
}

/** The settings for `runEmulatorCli` (or `runExec`) from the parsed options; what cannot go together is a UsageError. */
function emulatorSettings(values: EmulatorValues, defaultPort: string, warn: (text: string) => void): CliSettings {
  const port = wholeNumber("port", values.port ?? defaultPort, 65_535);
  if (values.host !== undefined && values.host.trim() === "") throw new UsageError("--host must not be empty");
  if (values.state !== undefined && values.state.trim() === "") throw new UsageError("--state must name a file");
  if (values.domain !== undefined && !/^[a-z0-9.-]+(:\d+)?$/i.test(values.domain)) throw new UsageError(`--domain must be a host name, not "${values.domain}"`);
  return {
    port,
    host: values.host ?? "127.0.0.1",
    ...(values["print-env"] ? { printEnv: true } : {}),
    ...(values["no-exit-with-parent"] ? { exitWithParent: false } : {}),
    ...(values.seed === undefined ? {} : { seedFile: values.seed }),
    ...(values.state === undefined ? {} : { stateFile: values.state }),
    ...(values.domain === undefined ? {} : { domain: values.domain }),
    ...(values["entity-limit"] === undefined ? {} : { entityLimit: wholeNumber("entity-limit", values["entity-limit"]) }),
    ...limitSettings(values),
    ...adminTokenSettings(values, warn),
  };
}

/** `auth0-emulator [options]`: serve until stopped. */
async function serve(values: EmulatorValues, context: CommandContext): Promise<void> {
  const settings = emulatorSettings(values, "8787", context.warn);
  await runEmulatorCli(settings);
}

/** `auth0-emulator exec [options] -- <command>`: the emulator is for the command alone, on a free port unless one is asked for. */
function execCommand(values: EmulatorValues, context: CommandContext, _positionals: string[], command: string[]): Promise<number> {
  if (command.length === 0 || command[0] === "") throw new UsageError("exec needs a command after --, e.g. exec -- npx vitest run");
  const settings = emulatorSettings(values, "0", context.warn);
  return runExec(settings, command);
}

/**
 * The emulator command under the name the user typed (for the usage text): the project's one command runner parses
 * the options (help exits 0, a usage error prints one line plus the usage and exits 2, any other failure one line
 * and exit 1) and hands them to `serve`, or to `execCommand`, which exits with its command's status. Returns the exit
 * code; the bin (or the script) exits with it.
 */
export function emulatorCommand(argv: string[], command: string, io: CommandIo = consoleIo): Promise<number> {
  const declared = { name: command.startsWith("npm run") ? "emulator" : command, usage: usage(command), options: EMULATOR_OPTIONS };
  if (argv[0] === "exec") return runCommand({ ...declared, rest: "the command to run" }, argv.slice(1), execCommand, io);
  return runCommand(declared, argv, serve, io);
}
