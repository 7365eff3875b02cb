/** Runs a command function in-process (as its script would, minus the process) and collects what it prints. */
import type { CommandIo } from "../../src/shared/command-line.js";

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(command: (argv: readonly string[], io: CommandIo) => Promise<number>, argv: readonly string[]): Promise<CommandRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(argv, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
