/**
 * The servers a contract run can check, each resolved to a base URL, tokens, an API client for fixtures and
 * what can be provoked on it:
 * - the embedded emulator (default): started on a free loopback port, tokens minted with and without scopes,
 *   429s forced through its fault injection;
 * - Prism (`--target prism`): started on the bundled spec; stateless, so every status is asked for with `Prefer`;
 * - any running server (`--base-url`): loopback only, unless `--live`; an emulator behind it is recognised by its
 *   admin API, which then mints the narrow token (and the full one, when no credentials were given) and forces the
 *   429 (the user's own faults are restored after);
 * - the live tenant (`--live`): `AUTH0_DOMAIN` with a token or client credentials.
 * Every request goes through the run's pacer and stays on the allowed hosts (see outbound.ts).
 */
import { freePort } from "../shared/ports.js";
import { createManagementClient } from "../client/index.js";
import { startEmulator } from "../emulator/index.js";
import type { EmulatorMiddleware, SeedData } from "../emulator/index.js";
import { startMock } from "../mock/index.js";
import { connectEmulatorAdmin, dropLeftoverForcedStatus, hasEmulatorAdmin } from "./emulator-admin.js";
import { ContractTargetError, ContractUsageError } from "./errors.js";
import type { ApiClient } from "./fixtures.js";
import { isLoopbackHostname } from "../shared/loopback.js";
import { type Destination, runFetch, sendWithoutRedirects } from "./outbound.js";
import { MAX_WAIT_MS, type Pacer } from "./pacer.js";
import type { TargetCapabilities } from "./plan.js";
import { clientCredentialsRunTokens, type RunTokens, staticRunTokens } from "./run-tokens.js";
import { tokenClaims } from "./token-claims.js";
import { API_BASE_PATH } from "../../generated/spec-facts.js";
import { AddressError, addressOfBaseUrl, addressOfDomain, type ManagementAddress } from "../shared/management-address.js";

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

/** What the run itself adds to the user's target options (not part of the public options). */
export interface TargetSettings extends ContractTargetOptions {
  /** Told of every token the run obtains (so that logs and reports can redact it). */
  onToken?: (token: string) => void;
}

export interface Target {
  description: string;
  /** The API base URL, e.g. `http://127.0.0.1:40123/api/v2`. */
  baseUrl: string;
  /** The same address, worked out once (origin, base path, token URL, audience). */
  address: ManagementAddress;
  /** Where requests may go. */
  destination: Destination;
  /** False for Prism: no fixtures, example requests only. */
  stateful: boolean;
  /** Started for this run and gone after it (the embedded emulator, Prism): its journal entries do not outlive it. */
  throwaway: boolean;
  api: ApiClient;
  /** The tokens the run started with (the hooks' requests carry them; the proxy sends the current one instead). */
  tokens: { full: string; narrow?: string };
  /** Where every request gets its token, for as long as the run takes. */
  runTokens: RunTokens;
  capabilities: TargetCapabilities;
  /** Puts the target's fault settings back as the run found them (emulators only). */
  restoreFaults?: () => Promise<void>;
  /** For `--cleanup`: removes a forced status a killed run may have left on an emulator. */
  dropLeftoverFaults?: () => Promise<void>;
  /** Why the target is gone when the run started it and it ended before the run did (Prism exiting): its results are void. */
  lost?(): string | undefined;
  /** Calls `listener` once if the target is lost during the run, so that the run stops sending at once. */
  onLost?(listener: (reason: string) => void): void;
  /** Throws a ContractTargetError when the server cannot be reached or rejects the token. */
  checkReachable(): Promise<void>;
  close(): Promise<void>;
}

const LOOPBACK: Destination = { live: false };

/** Each attempt on the wire. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** A whole paced exchange: the longest rate-limit wait, then the attempt. */
export const PACED_DEADLINE_MS = MAX_WAIT_MS + REQUEST_TIMEOUT_MS;

/** The client id the token was issued to (`azp`, or `sub` of a client-credentials token). */
function tokenClientId(token: string): string | undefined {
  const claims = tokenClaims(token);
  if (typeof claims?.azp === "string") return claims.azp;
  if (typeof claims?.sub === "string" && claims.sub.endsWith("@clients")) return claims.sub.slice(0, -"@clients".length);
  return undefined;
}

/** The scopes a token holds (its `scope` claim), or undefined when it is not a JWT that says. */
function tokenScopes(token: string | undefined): Set<string> | undefined {
  const scope = token ? tokenClaims(token)?.scope : undefined;
  return typeof scope === "string" ? new Set(scope.split(" ").filter(Boolean)) : undefined;
}

function capabilitiesFor(
  mode: TargetCapabilities["mode"],
  full: string,
  narrow: string | undefined,
  forceStatus?: TargetCapabilities["forceStatus"],
): TargetCapabilities {
  return { mode, forceStatus, hasNarrowToken: narrow !== undefined, narrowScopes: tokenScopes(narrow), clientId: tokenClientId(full) };
}

function apiClient(address: ManagementAddress, tokens: RunTokens, initial: string, pacer: Pacer, destination: Destination): ApiClient {
  // The pacer repeats 429s itself, so the client adds no repeats; its deadline must allow for the pacer's waits
  // (runFetch times each attempt on the wire). A renewable source is the client's token function: the client asks
  // for a fresh token once after a 401 `Invalid token.` (and the clean-up, too, never gives up on one it can cure).
  let last = initial;
  const token = tokens.renewable
    ? async ({ forceRefresh }: { forceRefresh: boolean }) => (last = forceRefresh ? ((await tokens.renew(last)) ?? last) : await tokens.current())
    : initial;
  return createManagementClient({
    baseUrl: address.baseUrl,
    token,
    fetch: runFetch(pacer, destination, REQUEST_TIMEOUT_MS, address.basePath, tokens),
    retry: { maxRetries: 0 },
    // The pacer is the run's one model of the tenant's rate limits (it also paces Dredd's requests through the
    // proxy): the client's own budget would be a second model of the same window, waiting on its own guesses.
    rateBudget: false,
    timeoutMs: PACED_DEADLINE_MS,
  });
}

/**
 * The most telling reason of a network failure: the system's code (`ECONNREFUSED`) wherever it sits in the chain of
 * causes (the client wraps fetch's "fetch failed", which wraps the socket's error), else the innermost message.
 */
function networkReason(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    const { code, message: text } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    if (typeof text === "string" && text) message = text;
  }
  return message;
}

/** Calls the API once with the token and turns "unreachable", "token rejected" and "wrong path" into one clear sentence. */
async function probe(api: ApiClient, address: ManagementAddress, tokens?: RunTokens): Promise<void> {
  const { baseUrl } = address;
  let response: Response;
  let body: { message?: unknown } | undefined;
  try {
    ({ response, error: body } = (await api.GET("/organizations/{id}", { params: { path: { id: "org_contracttestprobe0" } } })) as {
      response: Response;
      error?: { message?: unknown };
    });
  } catch (error) {
    if (error instanceof ContractTargetError) throw error;
    throw new ContractTargetError(`cannot reach ${baseUrl} (${networkReason(error)})`);
  }
  if (response.status === 401) {
    const expiresAt = tokens?.expiresAt;
    if (expiresAt !== undefined && expiresAt <= Date.now())
      throw new ContractTargetError(
        `the token expired at ${new Date(expiresAt).toISOString()}; give a fresh one, or client credentials (AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET), which the run renews for as long as it takes`,
      );
    throw new ContractTargetError(`${baseUrl} rejected the token (401); check AUTH0_TOKEN (or --token-file) or the client credentials`);
  }
  // A missing organization is the expected answer; any other 404 means the API is not at this path.
  if (response.status === 404 && !/organization/i.test(typeof body?.message === "string" ? body.message : "")) {
    const hint = address.basePath.endsWith(API_BASE_PATH) ? "" : ` — did you mean ${baseUrl}${API_BASE_PATH}?`;
    throw new ContractUsageError(`${baseUrl} answered 404 for an API path: the Management API is not there${hint}`);
  }
}

/**
 * What the embedded emulator holds before the run creates its own resources: one application and a grant the run
 * can associate with its organization (a live tenant brings its own; the run never creates grants).
 */
const EMBEDDED_EMULATOR_SEED: SeedData = {
  clients: [{ client_id: "contract-test-app", name: "Contract test application" }],
  client_grants: [
    {
      id: "cgr_contracttestgrant01",
      client_id: "contract-test-app",
      audience: "https://contract-test.example/",
      scope: ["read:things"],
      organization_usage: "allow",
      allow_any_organization: false,
    },
  ],
};

async function embeddedEmulator(options: TargetSettings, pacer: Pacer): Promise<Target> {
  const emulator = await startEmulator({ port: await freePort(), host: "127.0.0.1", middleware: options.emulatorMiddleware, seed: EMBEDDED_EMULATOR_SEED });
  const full = await emulator.issueToken();
  const narrow = await emulator.issueToken({ scopes: [] });
  const admin = await connectEmulatorAdmin(emulator.url, LOOPBACK);
  const runTokens = staticRunTokens(full);
  const address = addressOfBaseUrl(emulator.baseUrl);
  const api = apiClient(address, runTokens, full, pacer, LOOPBACK);
  return {
    description: "the embedded emulator",
    baseUrl: emulator.baseUrl,
    address,
    destination: LOOPBACK,
    stateful: true,
    throwaway: true,
    api,
    tokens: { full, narrow },
    runTokens,
    capabilities: capabilitiesFor("emulator", full, narrow, admin.forceStatus),
    restoreFaults: admin.restoreFaults,
    checkReachable: () => probe(api, address),
    close: () => emulator.close(),
  };
}

async function prism(pacer: Pacer): Promise<Target> {
  let mock;
  try {
    mock = await startMock({ port: await freePort() });
  } catch (error) {
    throw new ContractTargetError(`Prism did not start: ${(error as Error).message}`);
  }
  // Prism only checks that a bearer token is present.
  const token = "prism-accepts-any-token";
  // A Prism that exits during the run (killed, crashed) must fail it: whatever answers on its port later is not it.
  let closing = false;
  let exitedDuringRun: string | undefined;
  const lostListeners: Array<(reason: string) => void> = [];
  void mock.exited.then((outcome) => {
    if (closing) return;
    exitedDuringRun = `Prism exited (${String(outcome)}) during the run; the transactions after that did not reach it`;
    for (const listener of lostListeners) listener(exitedDuringRun);
  });
  const runTokens = staticRunTokens(token);
  const mockAddress = addressOfBaseUrl(mock.url);
  return {
    description: "Prism (mock of the bundled spec)",
    baseUrl: mock.url,
    address: mockAddress,
    destination: LOOPBACK,
    stateful: false,
    throwaway: true,
    api: apiClient(mockAddress, runTokens, token, pacer, LOOPBACK),
    tokens: { full: token },
    runTokens,
    capabilities: { mode: "prism", hasNarrowToken: false },
    lost: () => exitedDuringRun,
    onLost: (listener) => void lostListeners.push(listener),
    checkReachable: async () => {},
    close: () => {
      closing = true;
      return mock.stop();
    },
  };
}

/** `--base-url` as an address; without `--live` only a loopback host is accepted. */
function parseBaseUrl(baseUrl: string, live: boolean): ManagementAddress {
  let address: ManagementAddress;
  try {
    address = addressOfBaseUrl(baseUrl);
  } catch (error) {
    if (!(error instanceof AddressError)) throw error;
    throw new ContractUsageError(`--base-url '${baseUrl}' is not a URL`);
  }
  if (!live && !isLoopbackHostname(address.hostname)) {
    throw new ContractUsageError(`refusing to send requests to ${address.hostname}: without --live a run only talks to loopback hosts`);
  }
  return address;
}

async function runningServer(options: TargetSettings, address: ManagementAddress, pacer: Pacer): Promise<Target> {
  const destination: Destination = options.live ? { live: true, tenantHost: address.hostname } : LOOPBACK;
  // An emulator's admin API sits beside its /api/v2 (under a tenant's prefix for one of its tenants).
  const adminRoot = address.root;
  const admin = !options.live && (await hasEmulatorAdmin(adminRoot, destination)) ? await connectEmulatorAdmin(adminRoot, destination) : undefined;
  // A recognised emulator mints a token with every scope when the user brought no credentials.
  const runTokens = (await obtainTokens(options, address, destination)) ?? (await mintedTokens(admin, options));
  if (!runTokens) {
    throw new ContractUsageError(
      "--base-url needs a token: set AUTH0_TOKEN (or use --token-file FILE, or --token - to read it from stdin), or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET",
    );
  }
  const token = runTokens.tokens;
  // On an emulator the admin API mints the narrow token, unless the user brought one.
  const narrow = options.narrowToken ?? (admin ? await admin.mintToken([]) : undefined);
  const api = apiClient(address, token, runTokens.first, pacer, destination);
  return {
    description: admin ? "an emulator" : "a running server",
    baseUrl: address.baseUrl,
    address,
    destination,
    stateful: true,
    throwaway: false,
    api,
    tokens: { full: runTokens.first, narrow },
    runTokens: token,
    capabilities: capabilitiesFor("server", runTokens.first, narrow, admin?.forceStatus),
    restoreFaults: admin?.restoreFaults,
    dropLeftoverFaults: admin ? () => dropLeftoverForcedStatus(adminRoot, destination) : undefined,
    checkReachable: () => probe(api, address, token),
    close: async () => {},
  };
}

/**
 * The run's token source: the token from the options, or client credentials at the server's `/oauth/token` (paced
 * like everything else, renewed for as long as the run takes). Its first token is fetched now, so that a bad
 * credential stops the run before anything is sent.
 */
async function obtainTokens(
  options: TargetSettings,
  address: ManagementAddress,
  destination: Destination,
): Promise<{ tokens: RunTokens; first: string } | undefined> {
  if (options.token) return { tokens: staticRunTokens(options.token), first: options.token };
  if (!options.clientId || !options.clientSecret) return undefined;
  const { tokenUrl } = address;
  // Not through the pacer: the token endpoint is the Authentication API, limited apart from the Management API's
  // buckets — and a request that holds the pacer's turn may need a fresh token before it goes.
  const tokens = clientCredentialsRunTokens(
    { clientId: options.clientId, clientSecret: options.clientSecret, audience: options.audience ?? address.audience, tokenUrl },
    (request) => sendWithoutRedirects(request, destination, AbortSignal.timeout(REQUEST_TIMEOUT_MS)),
    (token) => options.onToken?.(token),
  );
  try {
    return { tokens, first: await tokens.current() };
  } catch (error) {
    throw new ContractTargetError(`could not get a token from ${tokenUrl}: ${(error as Error).message}`);
  }
}

/** A token the emulator's admin API minted (every scope, not renewable), as the run's tokens. */
async function mintedTokens(
  admin: { mintToken(): Promise<string | undefined> } | undefined,
  options: TargetSettings,
): Promise<{ tokens: RunTokens; first: string } | undefined> {
  const minted = await admin?.mintToken();
  if (minted === undefined) return undefined;
  options.onToken?.(minted);
  return { tokens: staticRunTokens(minted), first: minted };
}

async function liveTenant(options: TargetSettings, pacer: Pacer): Promise<Target> {
  const domain = options.domain?.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (!domain) throw new ContractUsageError("--live needs AUTH0_DOMAIN (e.g. your-tenant.eu.auth0.com)");
  let address: ManagementAddress;
  try {
    address = addressOfDomain(domain);
  } catch (error) {
    if (!(error instanceof AddressError)) throw error;
    throw new ContractUsageError(`AUTH0_DOMAIN ${error.message}`);
  }
  if (!options.token && !(options.clientId && options.clientSecret))
    throw new ContractUsageError("--live needs AUTH0_TOKEN, or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET");
  const server = await runningServer({ ...options, live: true }, address, pacer);
  return { ...server, description: `the live tenant ${domain}`, capabilities: { ...server.capabilities, mode: "live", forceStatus: undefined } };
}

export async function resolveTarget(options: TargetSettings, pacer: Pacer): Promise<Target> {
  if (options.live) return liveTenant(options, pacer);
  if (options.baseUrl) return runningServer(options, parseBaseUrl(options.baseUrl, false), pacer);
  if (options.target === "prism") return prism(pacer);
  return embeddedEmulator(options, pacer);
}
