/**
 * The servers a contract run can check, each resolved to a base URL, tokens, an API client for fixtures and
 * what can be provoked on it:
 * - the embedded emulator (default): started on a free loopback port, tokens minted with and without scopes,
 *   429s forced through its fault injection;
 * - Prism (`--target prism`): started on the bundled spec; stateless, so every status is asked for with `Prefer`;
 * - any running server (`--base-url`): loopback only, unless `--live`; an emulator behind it is detected by its
 *   admin API and its fault injection used;
 * - the live tenant (`--live`): `AUTH0_DOMAIN` with a token or client credentials.
 */
import { createServer } from "node:net";
import { createManagementClient } from "../client/index.js";
import { startEmulator } from "../emulator/index.js";
import type { EmulatorMiddleware } from "../emulator/types.js";
import { startMock } from "../mock/prism.js";
import { ContractTargetError, ContractUsageError } from "./errors.js";
import type { ApiClient } from "./fixtures.js";
import type { TargetCapabilities } from "./plan.js";

export interface ContractTargetOptions {
  target?: "emulator" | "prism";
  baseUrl?: string;
  token?: string;
  narrowToken?: string;
  live?: boolean;
  domain?: string;
  clientId?: string;
  clientSecret?: string;
  audience?: string;
  /** For the embedded emulator: middleware around it (used to check that broken variants fail the contract). */
  emulatorMiddleware?: EmulatorMiddleware[];
}

export interface Target {
  description: string;
  /** The API base URL Dredd calls, e.g. `http://127.0.0.1:40123/api/v2`. */
  baseUrl: string;
  /** False for Prism: no fixtures, example requests only. */
  stateful: boolean;
  api: ApiClient;
  tokens: { full: string; narrow?: string };
  capabilities: TargetCapabilities;
  /** Clears faults forced on the target (emulators only). */
  clearFaults?: () => Promise<void>;
  /** Throws a ContractTargetError when the server cannot be reached or rejects the token. */
  checkReachable(): Promise<void>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The `azp` (client id) claim of a JWT, read without verifying it: only used to name the caller's own application. */
function tokenClientId(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { azp?: unknown; sub?: unknown };
    if (typeof payload.azp === "string") return payload.azp;
    if (typeof payload.sub === "string" && payload.sub.endsWith("@clients")) return payload.sub.slice(0, -"@clients".length);
  } catch {
    // not a JWT: no client id to offer
  }
  return undefined;
}

/** Calls the API once with the token and turns "unreachable" and "token rejected" into one clear sentence. */
async function probe(baseUrl: string, token: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/organizations/org_contracttestprobe0`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new ContractTargetError(`cannot reach ${baseUrl} (${reason})`);
  }
  if (response.status === 401) throw new ContractTargetError(`${baseUrl} rejected the token (401); check --token / AUTH0_TOKEN or the client credentials`);
}

/** Fault injection through the emulator's admin API (`/__emulator/faults`), when the target has one. */
function emulatorFaults(origin: string): { forceNextStatus: (status: number) => Promise<void>; clearFaults: () => Promise<void> } {
  const call = async (method: "POST" | "DELETE", body?: unknown) => {
    const response = await fetch(`${origin}/__emulator/faults`, {
      method,
      // The admin API takes JSON writes only (an empty object when there is nothing to send).
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body ?? {}),
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`the emulator refused the fault setting (HTTP ${response.status})`);
  };
  return {
    forceNextStatus: (status) => call("POST", { status: { code: status, count: 1 } }),
    clearFaults: () => call("DELETE"),
  };
}

async function hasEmulatorAdmin(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/__emulator/state`, { signal: AbortSignal.timeout(3_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function embeddedEmulator(options: ContractTargetOptions): Promise<Target> {
  const emulator = await startEmulator({ port: await freePort(), host: "127.0.0.1", middleware: options.emulatorMiddleware });
  const full = await emulator.issueToken();
  const narrow = await emulator.issueToken({ scopes: [] });
  const faults = emulatorFaults(emulator.url);
  return {
    description: "the embedded emulator",
    baseUrl: emulator.baseUrl,
    stateful: true,
    api: createManagementClient({ baseUrl: emulator.baseUrl, token: full }),
    tokens: { full, narrow },
    capabilities: { mode: "emulator", forceNextStatus: faults.forceNextStatus, hasNarrowToken: true, clientId: tokenClientId(full) },
    clearFaults: faults.clearFaults,
    checkReachable: () => probe(emulator.baseUrl, full),
    close: () => emulator.close(),
  };
}

async function prism(): Promise<Target> {
  let mock;
  try {
    mock = await startMock({ port: await freePort() });
  } catch (error) {
    throw new ContractTargetError(`Prism did not start: ${(error as Error).message}`);
  }
  // Prism only checks that a bearer token is present.
  const token = "prism-accepts-any-token";
  return {
    description: "Prism (mock of the bundled spec)",
    baseUrl: mock.url,
    stateful: false,
    api: createManagementClient({ baseUrl: mock.url, token }),
    tokens: { full: token },
    capabilities: { mode: "prism", hasNarrowToken: false },
    checkReachable: async () => {},
    close: () => mock.stop(),
  };
}

async function runningServer(options: ContractTargetOptions, baseUrl: string): Promise<Target> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ContractUsageError(`--base-url '${baseUrl}' is not a URL`);
  }
  if (!options.live && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new ContractUsageError(`refusing to send requests to ${url.hostname}: without --live a run only talks to loopback hosts`);
  }
  const token = options.token;
  if (!token) throw new ContractUsageError("--base-url needs a token: pass --token or set AUTH0_TOKEN");
  const normalized = url.toString().replace(/\/$/, "");
  const isEmulator = !options.live && (await hasEmulatorAdmin(url.origin));
  const faults = isEmulator ? emulatorFaults(url.origin) : undefined;
  return {
    description: isEmulator ? "an emulator" : "a running server",
    baseUrl: normalized,
    stateful: true,
    api: createManagementClient({ baseUrl: normalized, token }),
    tokens: { full: token, narrow: options.narrowToken },
    capabilities: {
      mode: "server",
      forceNextStatus: faults?.forceNextStatus,
      hasNarrowToken: options.narrowToken !== undefined,
      clientId: tokenClientId(token),
    },
    clearFaults: faults?.clearFaults,
    checkReachable: () => probe(normalized, token),
    close: async () => {},
  };
}

async function liveTenant(options: ContractTargetOptions): Promise<Target> {
  const domain = options.domain?.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (!domain) throw new ContractUsageError("--live needs AUTH0_DOMAIN (e.g. your-tenant.eu.auth0.com)");
  const baseUrl = `https://${domain}/api/v2`;
  let token = options.token;
  if (!token) {
    if (!options.clientId || !options.clientSecret) {
      throw new ContractUsageError("--live needs AUTH0_TOKEN, or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET");
    }
    const client = createManagementClient({ domain, clientId: options.clientId, clientSecret: options.clientSecret, audience: options.audience });
    try {
      token = await client.getAccessToken();
    } catch (error) {
      throw new ContractTargetError(`could not get a token from https://${domain}/oauth/token: ${(error as Error).message}`);
    }
  }
  const server = await runningServer({ ...options, live: true, token }, baseUrl);
  return { ...server, description: `the live tenant ${domain}`, capabilities: { ...server.capabilities, mode: "live", forceNextStatus: undefined } };
}

export async function resolveTarget(options: ContractTargetOptions): Promise<Target> {
  if (options.live) return liveTenant(options);
  if (options.baseUrl) return runningServer(options, options.baseUrl);
  if (options.target === "prism") return prism();
  return embeddedEmulator(options);
}
