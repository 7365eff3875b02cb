/**
 * The command-line convention of every command of the project (emulator, contract, mock, docs, diff, bench, fuzz,
 * generate, check:generated): strict `node:util` parsing; `-h/--help` prints the usage and exits 0; a usage error prints
 * `<name>: <message>`, a blank line and the usage on stderr and exits 2; any other failure prints one line
 * `<name>: <message>` (no usage, no stack trace) and exits 1. A command takes positional arguments only where it
 * names them. A value that starts with a minus sign and a digit
 * (`--port -1`, `--seed -5`) is taken as the option's value, so the command's own check can say what is wrong
 * with it instead of Node's "argument is ambiguous".
 *
 * A command declares its options and a function that receives their parsed values (`runCommand`); the runner
 * parses and answers every mistake, so the function only does the command's job. The command is a function from
 * arguments to an exit code, so that a test can run it in-process and only the `bin` file or the script behind
 * `npm run` touches the process: it hands over `process.argv` and sets the exit code.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h" } } as const;

/**
 * A problem with the command line (or with a file it names): the message is for the user, the exit code is 2. The
 * usage text follows it when the command line itself is wrong; a problem found while starting (a seed file that
 * does not validate, a port in use) says `showUsage: false`, since the usage would not help and would hide the line.
 */
export class UsageError extends Error {
  override name = "UsageError";
  readonly showUsage: boolean;
  constructor(message: string, options: { showUsage?: boolean } = {}) {
    super(message);
    this.showUsage = options.showUsage ?? true;
  }
}

/** Where a command writes: the console, or a test's collector. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export const consoleIo: CommandIo = { out: (text) => console.log(text), err: (text) => console.error(text) };

/** What a command declares; the runner does the rest (parsing, help, usage errors, failures). */
export interface CommandDefinition<T extends OptionsConfig> {
  /** The name its messages start with (`diff`, `auth0-mock`). */
  name: string;
  usage: string;
  options: T;
  /** The positional arguments it takes, by name and in order (none unless listed); more is a usage error. */
  positionals?: readonly string[];
  /** What the arguments after `--` are (`exec`'s command): handed over as they are, never parsed. */
  rest?: string;
  /** Applied to every message (not to the usage text, which is the command's own and holds no secret). */
  redact?: (text: string) => string;
}

/** Where a command's work writes, and how it warns: one line `<name>: <text>` on stderr, redacted like its errors. */
export interface CommandContext extends CommandIo {
  readonly warn: (text: string) => void;
}

/** A command's work: it receives the parsed options (and positionals, and what follows `--`) and returns the exit code. */
export type CommandMain<T extends OptionsConfig> = (
  values: ParsedValues<T>,
  context: CommandContext,
  positionals: string[],
  rest: string[],
) => Promise<number | void> | number | void;

export type ParsedValues<T extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>["values"];

const NEGATIVE_NUMBER = /^-\d/;

/** `--name -1` → `--name=-1` for string options, so a negative number reaches the command's own check. */
function attachNegativeValues(args: readonly string[], options: OptionsConfig): string[] {
  const takesValue = new Set<string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type !== "string") continue;
    takesValue.add(`--${name}`);
    if (option.short) takesValue.add(`-${option.short}`);
  }
  const joined: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const next = args[index + 1];
    if (takesValue.has(arg) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(arg.startsWith("--") ? `${arg}=${next}` : `${arg}${next}`);
      index += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** Parses `args` strictly; "help" when `-h/--help` is among them; a malformed command line throws a UsageError. */
export function parseCommandLine<const T extends OptionsConfig>(options: T, args: readonly string[]): ParsedValues<T> | "help" {
  const parsed = parseWithPositionals(options, args, 0);
  return parsed === "help" ? parsed : parsed.values;
}

/** As parseCommandLine, also taking up to `most` positional arguments (returned in order). */
function parseWithPositionals<const T extends OptionsConfig>(
  options: T,
  args: readonly string[],
  most: number,
): { values: ParsedValues<T>; positionals: string[] } | "help" {
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: attachNegativeValues(args, options),
      options: { ...options, ...HELP },
      strict: true,
      allowPositionals: most > 0,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  if (positionals.length > most) throw new UsageError(`unexpected argument '${positionals[most]}'`);
  delete values.help;
  return { values: values as ParsedValues<T>, positionals };
}

/** A whole number within [min, max] from an option's text, or a UsageError naming the option. */
export function wholeNumberOption(name: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return Number(text);
}

/**
 * The project's one command runner (every command's, bins and scripts alike): parses `args` as `command` declares,
 * then calls `main` with the values, and turns what happens into the convention above — `--help` prints the usage
 * (exit 0), a UsageError one line (plus the usage when the command line is wrong, exit 2), any other failure one
 * line `<name>: <message>` (exit 1), else the code `main` returns (0 when none). It returns the code and never exits
 * the process: only a `bin` file or a script does, so a test can run any command in-process.
 */
export async function runCommand<const T extends OptionsConfig>(
  command: CommandDefinition<T>,
  args: readonly string[],
  main: CommandMain<T>,
  io: CommandIo = consoleIo,
): Promise<number> {
  const redact = command.redact ?? ((text: string) => text);
  const say = (message: string) => io.err(redact(`${command.name}: ${message}`));
  try {
    const separator = command.rest === undefined ? -1 : args.indexOf("--");
    const parsed = parseWithPositionals(command.options, separator < 0 ? args : args.slice(0, separator), command.positionals?.length ?? 0);
    if (parsed === "help") {
      io.out(command.usage);
      return 0;
    }
    const rest = separator < 0 ? [] : args.slice(separator + 1);
    return (await main(parsed.values, { ...io, warn: say }, parsed.positionals, rest)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(redact(`${command.name}: ${error.message}`) + (error.showUsage ? `\n\n${command.usage}` : ""));
      return 2;
    }
    say(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
