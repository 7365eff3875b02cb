/**
 * `startEmulator`: the emulator behind a real `node:http` server (the HTTP transport in transport/node-http.ts), on
 * loopback unless told otherwise.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isLoopbackAddress } from "../shared/loopback.js";
import { assembleEmulator, type Emulator, type TenantOptions, validatorPreparation } from "./emulator.js";
import { TENANT_PREFIX } from "./tenants.js";
import { nodeRequestListener, rejectRawRequest } from "./transport/node-http.js";
import type { EmulatorOptions } from "./types.js";
import { API_BASE_PATH } from "../../generated/spec-facts.js";

/** Who may use the admin API of a running emulator (see access.ts). */
export type AdminApiMode = "loopback" | "admin-token" | "off";

/** A tenant of a running emulator, with its addresses under `/tenants/{name}`. */
export interface RunningTenant extends Emulator {
  /** `http://127.0.0.1:<port>/tenants/{name}`: where its `/oauth/token` and `/__emulator/*` are. */
  url: string;
  /** `${url}/api/v2` */
  baseUrl: string;
}

export interface RunningEmulator extends Omit<Emulator, "tenant"> {
  /** Another tenant in this emulator (see `Emulator.tenant`), with its addresses. */
  tenant(name: string, options?: TenantOptions): RunningTenant;
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

/** Runs each step in its own turn of the event loop, so that requests are answered in between. */
async function runBetweenRequests(steps: Array<() => void>): Promise<void> {
  for (const step of steps) {
    await new Promise((resolve) => setImmediate(resolve));
    step();
  }
}

/**
 * Resolves once the server listens and every validator is prepared (a broken spec rejects, like `createEmulator`
 * throws). The socket answers as soon as it listens: a request that comes before its operation's validators are
 * prepared generates them itself.
 */
export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = "127.0.0.1", ...emulatorOptions } = options;
  const emulator = assembleEmulator(emulatorOptions);

  const listener = nodeRequestListener(emulator.core, host, emulator.hasMiddleware ? emulator.dispatch : undefined);
  // Host is checked by the listener, so that a request without one is answered in Auth0's shape.
  const server = createServer({ requireHostHeader: false }, listener);
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
  const close = () => {
    emulator.closeState();
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Idle keep-alive sockets would otherwise hold close() open.
      server.closeAllConnections();
    });
    return closing;
  };
  try {
    await runBetweenRequests(validatorPreparation());
  } catch (error) {
    await close();
    throw error;
  }
  const tenant = (name: string, options?: TenantOptions): RunningTenant => {
    const view = emulator.tenant(name, options);
    return { ...view, url: `${url}${TENANT_PREFIX}${name}`, baseUrl: `${url}${TENANT_PREFIX}${name}${API_BASE_PATH}` };
  };
  return { ...emulator, fetch: emulator.fetch, url, baseUrl: `${url}${API_BASE_PATH}`, port: address.port, adminApi, close, tenant };
}
