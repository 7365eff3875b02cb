/**
 * The server a contract run checks, reached in one straight path from the settled plan (run-options.ts): start it
 * (the embedded emulator, Prism) or take it as it runs (`--base-url`, `--live`); connect to its emulator admin API
 * when it may be an emulator; obtain the run's tokens; build the API client for fixtures over the run's one way out.
 * - the embedded emulator (default): a free loopback port; its admin API mints the tokens, with and without scopes,
 *   and forces the 429s;
 * - Prism (`--target prism`): started on the bundled spec; stateless, so every status is asked for with `Prefer`;
 * - a running server (`--base-url`): an emulator behind it is recognised by its admin API, which then mints the
 *   narrow token (and the full one, when no credentials were given) and forces the 429 (the user's own faults are
 *   restored after);
 * - the live tenant (`--live`): `AUTH0_DOMAIN` with a token or client credentials.
 * Every request goes through the run's pacer and stays on the allowed hosts (see outbound.ts).
 */
import { freePort } from "../shared/ports.js";
import type { ManagementAddress } from "../shared/management-address.js";
import { addressOfBaseUrl } from "../shared/management-address.js";
import { createManagementClient, type FetchFunction } from "../client/index.js";
import { startEmulator } from "../emulator/index.js";
import type { EmulatorMiddleware, SeedData } from "../emulator/index.js";
import { startMock } from "../mock/index.js";
import { connectEmulatorAdmin } from "./emulator-admin.js";
import { ContractTargetError } from "./errors.js";
import type { ApiClient } from "./fixtures.js";
import { type Destination, pacedFetch } from "./outbound.js";
import { MAX_WAIT_MS, type Pacer } from "./pacer.js";
import type { TargetCapabilities } from "./plan.js";
import { probe } from "./probe.js";
import { obtainRunTokens, type RunTokens } from "./run-tokens.js";
import type { ServerChoice, TargetPlan } from "./run-options.js";

/** The run's one way out (outbound.ts) and its pacer, built once by the run and handed on. */
export interface RunTransport {
  /** Confined, unpaced, no redirects: the admin API's and the token endpoint's requests. */
  send: FetchFunction;
  pacer: Pacer;
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

/** A server the run started, or one it found running: where it is, and what it may be. */
interface Server {
  address: ManagementAddress;
  description: string;
  mode: TargetCapabilities["mode"];
  /** Started for this run and gone after it (the embedded emulator, Prism): its journal entries do not outlive it. */
  throwaway: boolean;
  /** Whether an emulator's admin API may be there (never asked of a live tenant, nor of Prism). */
  mayBeEmulator: boolean;
  stateful: boolean;
  lost?: () => string | undefined;
  onLost?: (listener: (reason: string) => void) => void;
  close(): Promise<void>;
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

async function embeddedEmulator(middleware: EmulatorMiddleware[] | undefined): Promise<Server> {
  const emulator = await startEmulator({ port: await freePort(), host: "127.0.0.1", middleware, seed: EMBEDDED_EMULATOR_SEED });
  return {
    address: addressOfBaseUrl(emulator.baseUrl),
    description: "the embedded emulator",
    mode: "emulator",
    throwaway: true,
    mayBeEmulator: true,
    stateful: true,
    close: () => emulator.close(),
  };
}

async function prism(): Promise<Server> {
  let started;
  try {
    started = await startMock({ port: await freePort() });
  } catch (error) {
    throw new ContractTargetError(`Prism did not start: ${(error as Error).message}`);
  }
  const mock = started;
  // A Prism that exits during the run (killed, crashed) must fail it: whatever answers on its port later is not it.
  let closing = false;
  let exitedDuringRun: string | undefined;
  const lostListeners: Array<(reason: string) => void> = [];
  void mock.exited.then((outcome) => {
    if (closing) return;
    exitedDuringRun = `Prism exited (${String(outcome)}) during the run; the transactions after that did not reach it`;
    for (const listener of lostListeners) listener(exitedDuringRun);
  });
  return {
    address: addressOfBaseUrl(mock.url),
    description: "Prism (mock of the bundled spec)",
    mode: "prism",
    throwaway: true,
    mayBeEmulator: false,
    stateful: false,
    lost: () => exitedDuringRun,
    onLost: (listener) => void lostListeners.push(listener),
    close: () => {
      closing = true;
      return mock.stop();
    },
  };
}

/** The server the plan names: started now, or taken as it runs. */
async function startServer(choice: ServerChoice): Promise<Server> {
  if (choice.kind === "embedded-emulator") return embeddedEmulator(choice.middleware);
  if (choice.kind === "prism") return prism();
  return {
    address: choice.address,
    description: choice.description ?? "a running server",
    mode: choice.live ? "live" : "server",
    throwaway: false,
    mayBeEmulator: !choice.live,
    stateful: true,
    close: async () => {},
  };
}

/** Resolves the plan into a target the run can use; a target that cannot be had throws a ContractTargetError or a usage error. */
export async function resolveTarget(plan: TargetPlan, transport: RunTransport): Promise<Target> {
  const server = await startServer(plan.server);
  const { address } = server;
  // An emulator's admin API sits beside its /api/v2 (under a tenant's prefix for one of its tenants).
  const admin = server.mayBeEmulator ? await connectEmulatorAdmin(address.root, transport.send) : undefined;
  if (server.mode === "emulator" && !admin) throw new ContractTargetError("the embedded emulator's admin API did not answer");
  const tokens = await obtainRunTokens(plan.tokens, plan.narrowToken, { address, send: transport.send, mint: admin, onToken: transport.onToken });
  const { source } = tokens;
  // The pacer repeats 429s itself, so the client adds no repeats; its deadline must allow for the pacer's waits. A
  // renewable source is the client's token function: the client asks for a fresh token once after a 401 `Invalid
  // token.` (and the clean-up, too, never gives up on one it can cure).
  let last = tokens.full;
  const api: ApiClient = createManagementClient({
    baseUrl: address.baseUrl,
    token: source.renewable
      ? async ({ forceRefresh }: { forceRefresh: boolean }) => (last = forceRefresh ? ((await source.renew(last)) ?? last) : await source.current())
      : tokens.full,
    fetch: pacedFetch(transport.pacer, transport.send, address.basePath, source),
    retry: { maxRetries: 0 },
    // The pacer is the run's one model of the tenant's rate limits (it also paces Dredd's requests through the
    // proxy): the client's own budget would be a second model of the same window, waiting on its own guesses.
    rateBudget: false,
    timeoutMs: MAX_WAIT_MS + plan.requestTimeoutMs,
  });
  const live = server.mode === "live";
  return {
    description: server.mode === "server" && admin ? "an emulator" : server.description,
    baseUrl: address.baseUrl,
    address,
    destination: plan.destination,
    stateful: server.stateful,
    throwaway: server.throwaway,
    api,
    tokens: { full: tokens.full, narrow: tokens.narrow },
    runTokens: source,
    capabilities: {
      mode: server.mode,
      forceStatus: live ? undefined : admin?.forceStatus,
      hasNarrowToken: tokens.narrow !== undefined,
      narrowScopes: tokens.narrowScopes,
      clientId: tokens.clientId,
    },
    restoreFaults: admin?.restoreFaults,
    dropLeftoverFaults: admin?.dropLeftoverForcedStatus,
    lost: server.lost,
    onLost: server.onLost,
    checkReachable: () => (server.mode === "prism" ? Promise.resolve() : probe(api, address, source)),
    close: () => server.close(),
  };
}
