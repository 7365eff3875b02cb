/**
 * `auth0-emulator exec [options] -- <command>` (Firebase's `emulators:exec` is the model): start the emulator, run
 * the command with the test environment (cli.ts `testEnvironment`) added to its own, stop the emulator whatever
 * happens, and exit with the command's status — 128 + the signal's number when a signal ended it, 127 when it could
 * not be started. SIGINT, SIGTERM and SIGHUP are passed on to the command (as cross-env and tini do), and so is the
 * disappearance of the process that started `exec` (as a SIGTERM). One argument is run by the shell
 * (`exec -- "vitest run && tsc"`); several are run as they are, without a shell.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { type CliSettings, onStopRequest, startFromSettings, testEnvironment } from "./cli.js";

/** Exit code when the command could not be started, as a shell reports a command it cannot find. */
const CANNOT_RUN = 127;

export async function runExec(settings: CliSettings, command: string[], err: (line: string) => void = console.error): Promise<number> {
  const started = await startFromSettings(settings);
  const env = await testEnvironment(started);
  try {
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { stdio: "inherit", env: { ...process.env, ...env }, shell: command.length === 1 });
    const stopWatching = onStopRequest(settings, (_reason, signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal ?? "SIGTERM");
    });
    const status = await new Promise<number>((resolve) => {
      child.once("error", (error: NodeJS.ErrnoException) => {
        err(`auth0-emulator: cannot run ${file}: ${error.code ?? error.message}`);
        resolve(CANNOT_RUN);
      });
      child.once("exit", (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
    });
    stopWatching();
    return status;
  } finally {
    await started.running.close();
  }
}
