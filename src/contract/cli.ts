/**
 * The `contract` command (`npm run contract`, and the package's `auth0-contract` bin): parses arguments and the
 * AUTH0_* environment, runs the contract or the cleanup, and turns the outcome into an exit code —
 * 0 all passed, 1 a transaction failed or the target could not be used, 2 a usage error.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { docsCommand } from "../docs/command.js";
import { parseDuration } from "./duration.js";
import { type CommandIo, consoleIo, parseCommandLine, type ParsedValues, runCommand } from "../shared/command-line.js";
import { hasControlCharacter } from "../shared/redaction.js";
import { ContractTargetError, ContractUsageError } from "./errors.js";
import { officialDiffCommand } from "./official-diff/command.js";
import { createRedactor } from "./redact.js";
import { cleanupLeftovers, type ContractOptions, runContract } from "./run.js";
import type { ContractTargetOptions } from "./run-options.js";

/** The usage text under the name the user typed (`auth0-contract`, or `contract` for `npm run contract`). */
export const contractUsage = (command: string) => `Usage: ${command} [options]
       ${command} official-diff <document> [options]   (compare the spec with Auth0's own document; --help there)

Checks a server against the OpenAPI contract with Dredd, transaction by transaction.

Targets (default: start the embedded emulator on a free loopback port):
  --target prism           start Prism on the bundled spec and check it
  --base-url URL           check a running server (loopback only unless --live); on an emulator it
                           mints its own token when no credentials are given
  --live                   check the live tenant AUTH0_DOMAIN, with AUTH0_TOKEN or AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET

Credentials (prefer the environment: a token on the command line shows up in process lists and npm's echo):
  AUTH0_TOKEN              the bearer token (or --token-file FILE, or --token - to read it from stdin)
  AUTH0_NARROW_TOKEN       a valid token lacking operations' scopes, for the 403 checks (or --narrow-token-file FILE);
                           its scope claim is read, and a 403 is provoked only where it lacks the operation's scope
  --token TOKEN            still accepted, but see above

Options:
  --max-rps N              send at most N requests per second (the tenant's own rate limit is always respected)
  --junit FILE             also write a JUnit report (secrets redacted; written atomically, always well-formed;
                           missing directories are created)
  --drift-report FILE      also write what the target does beyond the spec (drift) as JSON
  --fail-on-drift          exit 1 when the target does anything the spec does not describe that no one accepted
  --drift-accepted FILE    drift your team has decided to leave out of the spec (JSON or YAML), besides the
                           project's own openapi/drift-accepted.yaml
  --cleanup                delete what interrupted runs against the target left behind (per the journal), then exit
  --older-than DURATION    with --cleanup, also list the target and delete resources named contract-test-<run id>-…
                           of runs that started at least DURATION ago (e.g. 2h, 30m, 0s), journaled or not
  --journal DIR            the directory of per-run journals (default .contract-journal)
  --spec FILE              the bundled spec to check against (default: the package's generated/openapi.json)
  --help                   show this text

Every answer is also compared with the spec beyond validity: fields, headers and query parameters the spec does
not describe are reported as drift (the run still passes unless --fail-on-drift).

Other commands:
  ${command} docs [--out FILE]   write the API reference as one self-contained HTML page (default site/index.html;
                           needs @redocly/cli installed beside this package)

Exit codes: 0 every transaction passed, 1 a transaction failed (or new drift with --fail-on-drift) or the target
could not be used, 2 usage error.`;

/** The command's options, parsed by the project's one command-line convention (src/shared/command-line.ts). */
const CONTRACT_OPTIONS = {
  target: { type: "string" },
  "base-url": { type: "string" },
  token: { type: "string" },
  "token-file": { type: "string" },
  "narrow-token": { type: "string" },
  "narrow-token-file": { type: "string" },
  "max-rps": { type: "string" },
  live: { type: "boolean", default: false },
  junit: { type: "string" },
  "drift-report": { type: "string" },
  "fail-on-drift": { type: "boolean", default: false },
  "drift-accepted": { type: "string" },
  cleanup: { type: "boolean", default: false },
  "older-than": { type: "string" },
  journal: { type: "string" },
  spec: { type: "string" },
} as const;

/** The options as the runner hands them over: parsed and typed, not yet checked against each other. */
type ContractValues = ParsedValues<typeof CONTRACT_OPTIONS>;

/** A command line read into run options without running anything ("help" for -h/--help); a mistake throws a UsageError. */
export function parseContractArguments(
  argv: string[],
  env: NodeJS.ProcessEnv,
  stdin?: () => string,
): { help: true; cleanup: false; options: ContractOptions } | { help: false; cleanup: boolean; options: ContractOptions } {
  const values = parseCommandLine(CONTRACT_OPTIONS, argv);
  return values === "help" ? { help: true, cleanup: false, options: {} } : { help: false, ...contractOptions(values, env, stdin) };
}

/** The parsed options and the AUTH0_* environment as run options; a bad combination throws ContractUsageError. */
function contractOptions(
  values: ContractValues,
  env: NodeJS.ProcessEnv,
  stdin: () => string = () => readFileSync(0, "utf8"),
): { cleanup: boolean; options: ContractOptions } {
  if (values.target !== undefined && values.target !== "emulator" && values.target !== "prism") {
    throw new ContractUsageError(`unknown --target '${values.target}' (expected emulator or prism)`);
  }
  const chosen = [values.target !== undefined, values["base-url"] !== undefined, values.live].filter(Boolean).length;
  if (chosen > 1) throw new ContractUsageError("choose one target: --target, --base-url or --live");

  const maxRps = values["max-rps"] === undefined ? undefined : Number(values["max-rps"]);
  if (maxRps !== undefined && !(Number.isFinite(maxRps) && maxRps > 0))
    throw new ContractUsageError(`--max-rps must be a number above 0, not '${values["max-rps"]}'`);

  const olderThanMs = values["older-than"] === undefined ? undefined : parseDuration(values["older-than"]);
  if (values["older-than"] !== undefined && olderThanMs === undefined) {
    throw new ContractUsageError(`--older-than takes a whole number and a unit (ms, s, m, h, d), e.g. 2h — not '${values["older-than"]}'`);
  }
  if (olderThanMs !== undefined && !values.cleanup) throw new ContractUsageError("--older-than goes with --cleanup");

  const target: ContractTargetOptions = {
    target: values.target,
    baseUrl: values["base-url"],
    token: readSecret("--token", values.token, values["token-file"], stdin) ?? env.AUTH0_TOKEN,
    narrowToken: readSecret("--narrow-token", values["narrow-token"], values["narrow-token-file"], stdin) ?? env.AUTH0_NARROW_TOKEN,
    live: values.live,
    domain: env.AUTH0_DOMAIN,
    clientId: env.AUTH0_CLIENT_ID,
    clientSecret: env.AUTH0_CLIENT_SECRET,
    audience: env.AUTH0_AUDIENCE,
  };
  refuseControlCharacters(target);
  return {
    cleanup: values.cleanup,
    options: {
      ...target,
      junitFile: values.junit,
      driftReportFile: values["drift-report"],
      failOnDrift: values["fail-on-drift"],
      driftAcceptedFile: values["drift-accepted"],
      journalDir: values.journal,
      specPath: values.spec,
      maxRps,
      olderThanMs,
      cleanupCommand: cleanupCommand(values, env),
    },
  };
}

/** A secret with a control character cannot be sent, and the platform's error would quote it: refused, unquoted. */
function refuseControlCharacters(target: ContractTargetOptions): void {
  const secrets: Array<[string, string | undefined]> = [
    ["the token (AUTH0_TOKEN, --token or --token-file)", target.token],
    ["the narrow token (AUTH0_NARROW_TOKEN or --narrow-token-file)", target.narrowToken],
    ["AUTH0_CLIENT_SECRET", target.clientSecret],
  ];
  for (const [what, secret] of secrets) {
    if (secret !== undefined && hasControlCharacter(secret)) throw new ContractUsageError(`${what} contains a control character (such as a line break or NUL)`);
  }
}

/** A secret given directly, in a file, or (`-`) on stdin; the file's or stdin's trailing newline is dropped. */
function readSecret(flag: string, direct: string | undefined, file: string | undefined, stdin: () => string): string | undefined {
  if (direct !== undefined && file !== undefined) throw new ContractUsageError(`give ${flag} or ${flag}-file, not both`);
  let value: string | undefined;
  try {
    if (direct === "-") value = stdin();
    else if (file !== undefined) value = readFileSync(file, "utf8");
    else return direct;
  } catch (error) {
    throw new ContractUsageError(
      `cannot read ${direct === "-" ? `${flag} from stdin` : `${flag}-file ${file}`}: ${(error as { code?: string }).code ?? (error as Error).message}`,
      { showUsage: false },
    );
  }
  const secret = value.trim();
  if (!secret) throw new ContractUsageError(`${direct === "-" ? `${flag} -: stdin` : `${flag}-file ${file}`} is empty`);
  return secret;
}

/** How the user finishes an interrupted clean-up: the same command, target options and journal, with --cleanup. */
function cleanupCommand(values: { "base-url"?: string; live?: boolean; journal?: string }, env: NodeJS.ProcessEnv): string {
  const command = env.npm_lifecycle_event === "contract" ? "npm run contract -- --cleanup" : "npx auth0-contract --cleanup";
  const targetArgs = values.live ? " --live" : values["base-url"] ? ` --base-url ${values["base-url"]}` : "";
  return `${command}${targetArgs}${values.journal ? ` --journal ${values.journal}` : ""}`;
}

/** The usage text of `npm run contract`. */
export const USAGE = contractUsage("contract");

/**
 * Runs the command by the project's one command runner, which parses the options and hands them over; returns the
 * exit code instead of exiting, so it can be tested in-process. `command` is the name messages and the usage text go
 * by; `exit` (the bin's `process.exit`) ends the process after a signal's clean-up — without it, signals are left to
 * their defaults.
 */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  streams: CommandIo = consoleIo,
  command = "contract",
  exit?: (code: number) => void,
): Promise<number> {
  // A subcommand rather than a second bin: one command per package, and the spec it compares is the one the run checks.
  if (argv[0] === "official-diff") return officialDiffCommand(argv.slice(1), streams, `${command} official-diff`);
  // `auth0-contract docs`: the API reference page, built from the package's own spec (needs @redocly/cli installed).
  if (argv[0] === "docs")
    return docsCommand(argv.slice(1), streams, { name: `${command} docs`, invocation: `${command} docs`, defaultOutput: path.resolve("site", "index.html") });
  // Whatever goes wrong, no token or client secret reaches the output.
  const redact = createRedactor([env.AUTH0_TOKEN, env.AUTH0_NARROW_TOKEN, env.AUTH0_CLIENT_SECRET]);
  const run = async (values: ContractValues): Promise<number> => {
    const { cleanup, options: parsed } = contractOptions(values, env);
    redact.add(parsed.token, parsed.narrowToken);
    const options: ContractOptions = { ...parsed, log: (line) => streams.out(redact(line)), ...(exit ? { handleSignals: exit } : {}) };
    try {
      if (cleanup) {
        const { failures } = await cleanupLeftovers(options);
        return failures.length === 0 ? 0 : 1;
      }
      const report = await runContract(options);
      return report.ok ? 0 : 1;
    } catch (error) {
      // A usage problem found while starting is said without the usage (it would hide the line); the target's
      // failures are said as they are, anything else as the run's failure.
      if (error instanceof ContractUsageError) throw new ContractUsageError(error.message, { showUsage: false });
      if (error instanceof ContractTargetError) throw error;
      throw new Error(`the run failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  return runCommand({ name: command, usage: contractUsage(command), options: CONTRACT_OPTIONS, redact }, argv, run, streams);
}
