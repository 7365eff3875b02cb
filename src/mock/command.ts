/**
 * The mock's command line, shared by `npm run mock` (scripts/mock.ts) and the installed `auth0-mock` command
 * (bin.ts): Prism on 127.0.0.1 fed the adjusted copy of the bundled spec (prism.ts). Prints one ready line
 * with the URL once Prism accepts requests; Ctrl+C / SIGTERM stop Prism too.
 */
import { exitWithUsageError, parseCommandLine } from "../shared/command-line.js";
import { DEFAULT_MOCK_PORT, isValidPort, startMock } from "./prism.js";

export async function mockCommand(argv: string[], command: string): Promise<void> {
  const name = command.startsWith("npm run") ? "mock" : command;
  const usage = `usage: ${command} [--port <1-65535>] [--errors]`;
  const values = parseCommandLine(name, usage, { port: { type: "string" }, errors: { type: "boolean" } }, argv);
  const port = values.port === undefined ? DEFAULT_MOCK_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? "0") || !isValidPort(port)) exitWithUsageError(name, `invalid --port ${JSON.stringify(values.port)}`, usage);

  let mock: Awaited<ReturnType<typeof startMock>>;
  try {
    mock = await startMock({ port, errors: values.errors, output: { stdout: process.stdout, stderr: process.stderr } });
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(1);
  }

  // Forward the stop signals: the mock must never outlive the command that started it.
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void mock.stop().then(() => process.exit(0));
    });
  }

  console.log(`Prism mock ready at ${mock.url} (pid ${mock.pid}). Choose a response with "Prefer: example=<name>" or "Prefer: code=<status>". Ctrl+C stops it.`);

  const outcome = await mock.exited;
  if (!stopping) {
    console.error(`${name}: Prism exited unexpectedly (${String(outcome)})`);
    process.exit(1);
  }
}
