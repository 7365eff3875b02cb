/**
 * Entry point of a benchmark server child process (started by `servers.ts` with `fork`). The machine has two
 * cores, so the load generator and the server under test each get their own process rather than sharing one
 * event loop. Speaks a tiny IPC protocol:
 *   parent → { type: "start", spec }     child → { type: "ready", url, token? }
 *   parent → { type: "memory" }          child → { type: "memory", rss, heapUsed }
 * The child exits when the parent disconnects, so it can never outlive a crashed benchmark run.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerSpec } from "./servers.js";

type ParentMessage = { type: "start"; spec: ServerSpec } | { type: "memory" };

function send(message: object): void {
  process.send?.(message);
}

async function startBare(body: string): Promise<string> {
  // The ceiling on this machine: the same bytes, no routing, no auth, no validation.
  const payload = Buffer.from(body);
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": payload.byteLength });
    response.end(payload);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startEmulatorServer(spec: Extract<ServerSpec, { kind: "emulator" }>): Promise<{ url: string; token: string }> {
  const { startEmulator } = await import("../../../src/emulator/index.js");
  const running = await startEmulator({ ...spec.options, port: 0, host: "127.0.0.1" });
  return { url: running.url, token: await running.issueToken() };
}

process.on("disconnect", () => process.exit(0));
// A clean exit (not death by signal) so that `--cpu-prof` gets to write its profile.
process.on("SIGINT", () => process.exit(0));
process.on("message", (message: ParentMessage) => {
  if (message.type === "memory") {
    const { rss, heapUsed } = process.memoryUsage();
    send({ type: "memory", rss, heapUsed });
    return;
  }
  const { spec } = message;
  const started = spec.kind === "bare" ? startBare(spec.body).then((url) => ({ url })) : startEmulatorServer(spec);
  started.then(
    (ready) => send({ type: "ready", ...ready }),
    (error: unknown) => send({ type: "failed", message: error instanceof Error ? error.message : String(error) }),
  );
});
