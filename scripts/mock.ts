/**
 * `npm run mock -- [--port 4010] [--errors]`: Prism mock of the bundled spec on 127.0.0.1.
 * Prints one ready line with the URL once Prism accepts requests; Ctrl+C / SIGTERM stop Prism too.
 */
import { exitWithUsageError, parseCommandLine } from "../src/shared/command-line.js";
import { DEFAULT_MOCK_PORT, isValidPort, startMock } from "../src/tooling/mock.js";

const USAGE = "usage: npm run mock -- [--port <1-65535>] [--errors]";

function usageError(message: string): never {
  exitWithUsageError("mock", message, USAGE);
}

const values = parseCommandLine("mock", USAGE, { port: { type: "string" }, errors: { type: "boolean" } });
const port = values.port === undefined ? DEFAULT_MOCK_PORT : Number(values.port);
if (!/^\d+$/.test(values.port ?? "0") || !isValidPort(port)) usageError(`invalid --port ${JSON.stringify(values.port)}`);

let mock: Awaited<ReturnType<typeof startMock>>;
try {
  mock = await startMock({ port, errors: values.errors, output: { stdout: process.stdout, stderr: process.stderr } });
} catch (error) {
  console.error(`mock: ${(error as Error).message}`);
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
  console.error(`mock: Prism exited unexpectedly (${String(outcome)})`);
  process.exit(1);
}
