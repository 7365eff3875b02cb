/**
 * `createEmulator`: a whole emulated tenant behind one web-standard `fetch`, in-process (no socket), ready in
 * milliseconds. `startEmulator` (server.ts) puts the same core behind a real HTTP server. Both are thin adapters
 * around one transport-agnostic core (core.ts).
 */
import { listOperations, loadDereferencedSpec } from "../shared/spec.js";
import type { AdminAccessSettings, PeerAddress } from "./access.js";
import { ADMIN_PREFIX } from "./admin.js";
import { signingKeys, TokenAuthority } from "./auth.js";
import type { EmulatorControls, EmulatorState } from "./controls.js";
import { buildCore, type EmulatorCore } from "./core.js";
import { DroppedConnection, FaultController } from "./faults.js";
import type { OAuthClient } from "./oauth.js";
import { RateLimiter } from "./rate-limit.js";
import { RequestInspector } from "./inspector.js";
import { workbenchRoutes } from "./workbench/routes.js";
import { applySeed, prepareSeedValidators, snapshotOf } from "./seed.js";
import { ApiError } from "./responses.js";
import { readTenantState, StateFileError, TenantStateFile, withSeedCredentials } from "./state-file.js";
import { linkDefaultsFromSpec, organizationDefaultsFromSpec } from "./spec-facts.js";
import { TenantStore } from "./store.js";
import { plainRequestFromWeb, webResponseFromPlain } from "./transport/fetch.js";
import type { EmulatorOptions, IssueTokenOptions, SeedData } from "./types.js";
import { AJV_PREPARATION, compiledOperations } from "./validation.js";

export interface Emulator {
  /** The web-standard handler; pass it to openapi-fetch as its `fetch`. A dropped connection rejects with a TypeError, like `fetch`. */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** A signed RS256 Management API token (every scope in the spec unless told otherwise). */
  issueToken(options?: IssueTokenOptions): Promise<string>;
  /** The tenant domain; tokens' audience is `https://{domain}/api/v2/`. */
  domain: string;
  /** The token audience, `https://{domain}/api/v2/`. */
  audience: string;
  state: EmulatorState;
  faults: FaultController;
  /** The last Management API requests answered (also `GET /__emulator/requests` and the dashboard). */
  inspector: RequestInspector;
}

/** What the HTTP server needs beyond the public interface. */
export interface EmulatorInternals {
  /** The transport-agnostic core: a plain request in, a plain reply out (the HTTP server's fast path). */
  core: EmulatorCore;
  /** Whether user middleware is set: then every request goes through `dispatch` as a web `Request`. */
  hasMiddleware: boolean;
  /** The web handler without the TypeError conversion (the server needs to see a `DroppedConnection`), given the socket's peer address. */
  dispatch(request: Request, peer: PeerAddress): Promise<Response>;
  /** Who may use the admin API; the server turns it off when it listens on a non-loopback address without an admin token. */
  adminAccess: AdminAccessSettings;
  /** Writes what the state file still lacks and stops keeping it (the server's `close`). */
  closeState(): void;
}

/** Every scope the spec's security scheme declares. */
export function allSpecScopes(): string[] {
  const schemes = (loadDereferencedSpec().components?.securitySchemes ?? {}) as Record<string, { flows?: Record<string, { scopes?: Record<string, string> }> }>;
  const scopes = new Set<string>();
  for (const scheme of Object.values(schemes)) {
    for (const flow of Object.values(scheme.flows ?? {})) for (const scope of Object.keys(flow.scopes ?? {})) scopes.add(scope);
  }
  for (const op of listOperations()) for (const scope of op.scopes) scopes.add(scope);
  return [...scopes];
}

const DEFAULT_DOMAIN = "emulator.local";
const DEFAULT_ENTITY_LIMIT = 10;
/** An admin token is a shared secret: short ones are guessable. */
const MIN_ADMIN_TOKEN_LENGTH = 16;

export function createEmulator(options: EmulatorOptions = {}): Emulator & EmulatorInternals {
  const emulator = assembleEmulator(options);
  for (const step of validatorPreparation()) step();
  return emulator;
}

/**
 * Every validator an emulator uses (each operation's, and the seed's), generated now rather than on first use, as
 * steps short enough to run between requests. A broken schema in the spec throws from its step, so an emulator
 * whose start runs them all cannot start with one. Once done in a process, each step costs nothing.
 */
export function validatorPreparation(): Array<() => void> {
  return [...AJV_PREPARATION, ...compiledOperations().map((operation) => () => operation.prepareValidators()), prepareSeedValidators];
}

/**
 * `createEmulator` without `validatorPreparation`: its validators are generated on first use. For `startEmulator`,
 * which prepares them while its socket already answers.
 */
export function assembleEmulator(options: EmulatorOptions = {}): Emulator & EmulatorInternals {
  // Started first: the key pair is generated off the main thread while the rest is set up (its error, if any,
  // surfaces from the first token issued or checked).
  signingKeys().catch(() => undefined);
  const domain = options.domain ?? DEFAULT_DOMAIN;
  const entityLimit = options.entityLimit ?? DEFAULT_ENTITY_LIMIT;
  if (!(Number.isInteger(entityLimit) && entityLimit >= 0)) throw new TypeError("entityLimit must be a whole number of 0 or more");
  const scopes = allSpecScopes();

  const store = new TenantStore(linkDefaultsFromSpec(), { entityLimit }, organizationDefaultsFromSpec());
  const authority = new TokenAuthority(domain, scopes);
  const limiter = new RateLimiter(options.rateLimit);
  const faults = new FaultController(options.faults);
  const startSeed: SeedData = structuredClone(options.seed ?? {});

  const stateFile = options.state === undefined ? undefined : new TenantStateFile(options.state, domain, () => snapshotOf(store));
  const state: EmulatorState = {
    save: () => stateFile?.flush(),
    snapshot: () => snapshotOf(store),
    seed: (data) => applySeed(store, data),
    reset: () => {
      store.clear();
      applySeed(store, startSeed);
      limiter.reset();
    },
    clear: () => store.clear(),
  };
  startTenant(store, startSeed, options.state, domain);
  if (stateFile) {
    store.onChange(() => stateFile.changed());
    // A new file is written at once, so that what it holds is always what the emulator serves.
    stateFile.flush(true);
  }

  const configuredClients = new Map<string, OAuthClient>((options.clients ?? []).map((c) => [c.clientId, { clientSecret: c.clientSecret, scopes: [...c.scopes] }]));
  const findClient = (clientId: string): OAuthClient | undefined => {
    const configured = configuredClients.get(clientId);
    if (configured) return configured;
    const seeded = store.findClient(clientId);
    return seeded?.client_secret ? { clientSecret: seeded.client_secret, scopes: seeded.scopes ?? scopes, seeded: true } : undefined;
  };

  if (options.adminToken !== undefined && (typeof options.adminToken !== "string" || options.adminToken.length < MIN_ADMIN_TOKEN_LENGTH)) {
    throw new TypeError(`adminToken must be a string of at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  const adminAccess: AdminAccessSettings = { adminToken: options.adminToken, enabled: true, domain };
  const issueToken = (opts?: IssueTokenOptions) => authority.issue(opts);
  const controls: EmulatorControls = { state, faults, issueToken };
  const inspector = new RequestInspector(options.inspectorCapacity);
  const core = buildCore({
    store,
    authority,
    limiter,
    faults,
    controls,
    findClient,
    access: adminAccess,
    inspector,
    adminExtensions: (callApi) => workbenchRoutes({ domain, store, inspector, limiter, faults, callApi }),
  });

  /** The core behind web objects: what `emulator.fetch` and user middleware see. */
  const webCore = (request: Request, peer: PeerAddress): Promise<Response> => {
    try {
      const reply = core(plainRequestFromWeb(request, peer));
      return reply instanceof Promise ? reply.then((answer) => webResponseFromPlain(answer, request.method)) : Promise.resolve(webResponseFromPlain(reply, request.method));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  };
  const middleware = options.middleware ?? [];
  // The peer address travels beside the request, not in it: middleware may replace the request, never where it came from.
  const dispatch = (request: Request, peer: PeerAddress): Promise<Response> => {
    if (middleware.length === 0) return webCore(request, peer);
    const chain = middleware.reduceRight<(request: Request) => Promise<Response>>((next, wrap) => (outer) => wrap(outer, next), (inner) => webCore(inner, peer));
    return chain(request);
  };

  return {
    domain,
    audience: authority.audience,
    state,
    faults,
    inspector,
    issueToken,
    core,
    hasMiddleware: middleware.length > 0,
    dispatch,
    adminAccess,
    closeState: () => stateFile?.close(),
    async fetch(input, init) {
      const request = input instanceof Request && init === undefined ? input : new Request(typeof input === "string" && input.startsWith("/") ? `http://${domain}${input}` : input, init);
      try {
        // In-process: the caller's own process, no socket (see access.ts).
        return await dispatch(request, null);
      } catch (error) {
        if (error instanceof DroppedConnection) throw new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
        throw error;
      }
    },
  };
}

/** The tenant the emulator starts with: the state file's when there is one (with the seed's client secrets), else the seed. */
function startTenant(store: TenantStore, seed: SeedData, stateFile: string | undefined, domain: string): void {
  const saved = stateFile === undefined ? undefined : readTenantState(stateFile, domain);
  if (!saved) {
    applySeed(store, seed);
    return;
  }
  try {
    applySeed(store, withSeedCredentials(saved, seed));
  } catch (error) {
    if (error instanceof ApiError) throw new StateFileError(`The state file ${stateFile} is not an emulator tenant: ${error.message.replace(/^Seed validation error: /, "")}`);
    throw error;
  }
}

export { ADMIN_PREFIX };
