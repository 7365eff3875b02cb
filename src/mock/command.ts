/**
 * The mock's command line, shared by `npm run mock` (scripts/mock.ts) and the installed `auth0-mock` command
 * (bin.ts): Prism on 127.0.0.1 fed the adjusted copy of the bundled spec (prism.ts). Prints one ready line
 * with the URL once Prism accepts requests; Ctrl+C / SIGTERM stop Prism too. The project's command-line
 * convention (src/shared/command-line.ts) decides what help, usage errors and failures look like.
 */
import { type CommandIo, consoleIo, runCommand, wholeNumberOption } from "../shared/command-line.js";
import { DEFAULT_MOCK_PORT, startMock } from "./prism.js";

const usage = (command: string) => `Usage: ${command} [options]

  --port <n>    port on 127.0.0.1 to serve on (default ${DEFAULT_MOCK_PORT})
  --errors      turn an invalid response example into a 500 (Prism's --errors)
  -h, --help    show this help`;

/** Runs the mock until a stop signal (exit 0), or until Prism ends on its own (exit 1); returns the exit code. */
export function mockCommand(argv: readonly string[], command: string, io: CommandIo = consoleIo): Promise<number> {
  const name = command.startsWith("npm run") ? "mock" : command;
  const options = { port: { type: "string" }, errors: { type: "boolean" } } as const;
  return runCommand(
    { name, usage: usage(command), options },
    argv,
    async (values) => {
      const port = values.port === undefined ? DEFAULT_MOCK_PORT : wholeNumberOption("port", values.port, 1, 65_535);
      const mock = await startMock({ port, errors: values.errors, output: { stdout: process.stdout, stderr: process.stderr } });

      // Forward the stop signals: the mock must never outlive the command that started it.
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        void mock.stop();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
      io.out(`Prism mock ready at ${mock.url} (pid ${mock.pid}). Choose a response with "Prefer: example=<name>" or "Prefer: code=<status>". Ctrl+C stops it.`);

      const outcome = await mock.exited;
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      if (!stopping) throw new Error(`Prism exited unexpectedly (${String(outcome)})`);
      return 0;
    },
    io,
  );
}
