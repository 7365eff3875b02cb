/**
 * `startEmulator`: the emulator behind a real HTTP server (@hono/node-server's request listener on node:http), on
 * loopback unless told otherwise. Each request reaches the emulator with its socket's peer address (which decides
 * who may use the admin API, see access.ts). A dropped-connection fault destroys the socket, so the client sees
 * what a network failure looks like. Requests Node itself rejects (headers over 16 KB, a malformed request line or
 * Host) are answered in Auth0's error shape too.
 */
import { createServer, STATUS_CODES } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type HttpBindings, getRequestListener, RequestError } from "@hono/node-server";
import { auth0ErrorBody } from "../shared/auth0-error.js";
import { isLoopbackAddress } from "./access.js";
import { type Emulator, createEmulator } from "./emulator.js";
import { DroppedConnection } from "./faults.js";
import { errorResponse } from "./responses.js";
import type { EmulatorOptions } from "./types.js";

/** Who may use the admin API of a running emulator (see access.ts). */
export type AdminApiMode = "loopback" | "admin-token" | "off";

export interface RunningEmulator extends Emulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `${url}/api/v2` */
  baseUrl: string;
  port: number;
  /** `loopback`: loopback callers only; `admin-token`: callers with the admin token; `off`: a non-loopback listener without one. */
  adminApi: AdminApiMode;
  close(): Promise<void>;
}

export interface StartOptions extends EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. Any other address turns the admin API off unless `adminToken` is given. */
  host?: string;
}

/** The admin API of an emulator bound to `address`: an admin token opens it to anyone holding it; else loopback only. */
export function adminApiMode(address: string, adminToken: string | undefined): AdminApiMode {
  if (adminToken !== undefined) return "admin-token";
  return isLoopbackAddress(address) ? "loopback" : "off";
}

/** A raw HTTP/1.1 answer for a request Node refused before any handler saw it, then the socket is closed. */
function rejectRawRequest(error: NodeJS.ErrnoException, socket: Socket): void {
  // As Node's own handler does: never write into an answer already on its way (a pipelined request went bad).
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (!socket.writable || answering || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const reason = STATUS_CODES[status] ?? "Bad Request";
  const message = status === 431 ? "Request header fields too large" : status === 408 ? "Request timeout" : "Malformed HTTP request";
  const body = JSON.stringify({ ...auth0ErrorBody(status, message), error: reason });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  socket.destroySoon();
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = "127.0.0.1", ...emulatorOptions } = options;
  const emulator = createEmulator(emulatorOptions);

  const listener = getRequestListener(
    (request: Request, env: HttpBindings | unknown) => {
      const { incoming } = env as HttpBindings;
      // The socket's own peer address; forwarding headers are never consulted. Unknown (a socket already gone) is not loopback.
      return emulator.dispatch(request, incoming.socket.remoteAddress ?? "").catch((error: unknown) => {
        if (error instanceof DroppedConnection) {
          incoming.socket.destroy();
          return new Response(null, { status: 500 });
        }
        throw error;
      });
    },
    {
      hostname: host,
      // What the adapter cannot turn into a Request (an invalid Host header), or an error thrown past the app.
      errorHandler: (error) => (error instanceof RequestError ? errorResponse(400, error.message) : errorResponse(500, "Internal Server Error")),
    },
  );
  // Node answers an HTTP/1.1 request without Host itself, with an empty body; this answers it in Auth0's shape.
  const server = createServer({ requireHostHeader: false }, (incoming, outgoing) => {
    if (incoming.httpVersion === "1.1" && incoming.headers.host === undefined) {
      const body = JSON.stringify(auth0ErrorBody(400, "Missing Host header"));
      outgoing.writeHead(400, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), connection: "close" }).end(body);
      return;
    }
    void listener(incoming, outgoing);
  });
  server.on("clientError", rejectRawRequest);
  server.listen(port, host);

  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
  // Decided before the first request can be read (the listening event comes before any connection's data).
  const adminApi = adminApiMode(address.address, emulatorOptions.adminToken);
  if (adminApi === "off") emulator.adminAccess.enabled = false;
  const displayHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${displayHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    ...emulator,
    fetch: emulator.fetch,
    url,
    baseUrl: `${url}/api/v2`,
    port: address.port,
    adminApi,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
