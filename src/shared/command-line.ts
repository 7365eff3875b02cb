/**
 * The argument handling every `npm run` script shares: strict `node:util` parsing, `-h/--help` printing the usage,
 * and a usage error as one line plus the usage on stderr with exit code 2 (never a stack trace).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h" } } as const;

/** Prints `name: message` and the usage to stderr and exits with 2. */
export function exitWithUsageError(name: string, message: string, usage: string): never {
  console.error(`${name}: ${message}\n${usage}`);
  process.exit(2);
}

type ParsedValues<T extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>["values"];

/** Parses the command's arguments; `--help` prints the usage and exits 0, anything malformed exits 2. */
export function parseCommandLine<const T extends OptionsConfig>(name: string, usage: string, options: T, args = process.argv.slice(2)): ParsedValues<T> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args, options: { ...options, ...HELP }, strict: true, allowPositionals: false }));
  } catch (error) {
    exitWithUsageError(name, (error as Error).message, usage);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  delete values.help;
  return values as ParsedValues<T>;
}
