/**
 * `startEmulator`: the emulator behind a real HTTP server (@hono/node-server), on loopback unless told otherwise.
 * A dropped-connection fault destroys the socket, so the client sees what a network failure looks like.
 */
import type { AddressInfo } from "node:net";
import { type HttpBindings, serve } from "@hono/node-server";
import { type Emulator, createEmulator } from "./emulator.js";
import { DroppedConnection } from "./faults.js";
import type { EmulatorOptions } from "./types.js";

export interface RunningEmulator extends Emulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `${url}/api/v2` */
  baseUrl: string;
  port: number;
  close(): Promise<void>;
}

export interface StartOptions extends EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = "127.0.0.1", ...emulatorOptions } = options;
  const emulator = createEmulator(emulatorOptions);

  const server = serve({
    port,
    hostname: host,
    fetch: (request: Request, env: HttpBindings | unknown) =>
      emulator.dispatch(request).catch((error: unknown) => {
        if (error instanceof DroppedConnection) {
          (env as HttpBindings).incoming.socket.destroy();
          return new Response(null, { status: 500 });
        }
        throw error;
      }),
  });

  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
  const displayHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${displayHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    ...emulator,
    fetch: emulator.fetch,
    url,
    baseUrl: `${url}/api/v2`,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets would otherwise hold close() open.
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      return closing;
    },
  };
}
