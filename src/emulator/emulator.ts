/**
 * `createEmulator`: a whole emulated tenant behind one web-standard `fetch`, in-process (no socket), ready in
 * milliseconds. `startEmulator` (server.ts) puts the same core behind a real HTTP server. Both are thin adapters
 * around one transport-agnostic core (core.ts).
 */
import { listOperations, loadDereferencedSpec } from "../shared/spec.js";
import type { AdminAccessSettings } from "./access.js";
import type { PeerAddress } from "./plain.js";
import { ADMIN_PREFIX } from "./admin.js";
import { signingKeys, TokenAuthority } from "./auth.js";
import type { EmulatorControls, EmulatorState, TenantControls } from "./controls.js";
import { buildCore, type EmulatorCore } from "./core.js";
import { DroppedConnection, FaultController } from "./faults.js";
import { RequestInspector } from "./inspector.js";
import { apiErrorReply } from "./responses.js";
import { readTenantState, StateFileError, TenantStateFile, withSeedCredentials } from "./state-file.js";
import { workbenchRoutes } from "./workbench/routes.js";
import { checkTenantName, MAX_TENANTS, MountedRequest, splitTenantPath, TENANT_PREFIX } from "./tenants.js";
import type { OAuthClient } from "./oauth.js";
import { createClock, type EmulatorClock } from "./limits/clock.js";
import { createLimiter, limiterSettings, type LimitsOption, type LimitsState } from "./rate-limit.js";
import { applySeed, prepareSeedValidators, snapshotOf } from "./seed.js";
import { API_PREFIX, linkDefaultsFromSpec, organizationDefaultsFromSpec } from "./spec-facts.js";
import { TenantStore } from "./store.js";
import { plainRequestFromWeb, webResponseFromPlain } from "./transport/fetch.js";
import type { EmulatorOptions, IssueTokenOptions, SeedData } from "./types.js";
import { AJV_PREPARATION, compiledOperations } from "./validation.js";
import { ApiError, conflict, invalidBody, tooManyTenants } from "./errors.js";

export interface Emulator {
  /** The web-standard handler; pass it to openapi-fetch as its `fetch`. A dropped connection rejects with a TypeError, like `fetch`. */
  fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
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
  /** The rate limits: their buckets as they stand, and new ones (every bucket starts full). */
  limits: LimitsControl;
  /** The clock the rate limits run on; `clock.advance(ms)` refills buckets without waiting. */
  clock: EmulatorClock;
  /**
   * Another tenant in the same emulator, made on first use (with the emulator's start-up options, or `options`):
   * state, seed, faults and tokens of its own, domain `{name}.{domain}`. Over HTTP it is served under
   * `/tenants/{name}` (`/tenants/{name}/api/v2`, `/tenants/{name}/oauth/token`, `/tenants/{name}/__emulator/…`).
   * Its `fetch` takes the tenant's paths without the prefix. `options` for a tenant that exists already is an error.
   */
  tenant(name: string, options?: TenantOptions): Emulator;
}

export interface LimitsControl {
  state(): LimitsState;
  /** A preset name or a shape; throws an `ApiError` (400) that says what is wrong. */
  set(limits: LimitsOption): LimitsState;
}

/** What the HTTP server needs beyond the public interface. */
export interface EmulatorInternals {
  /** The transport-agnostic core: a plain request in, a plain reply out (the HTTP server's fast path). */
  core: EmulatorCore;
  /** Whether user middleware is set: then every request goes through `dispatch` as a web `Request`. */
  hasMiddleware: boolean;
  /** The web handler without the TypeError conversion (the server needs to see a `DroppedConnection`), given the socket's peer address. */
  dispatch: (request: Request, peer: PeerAddress) => Promise<Response>;
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

/** The options a tenant may have of its own (the rest are the emulator's). */
export type TenantOptions = Pick<EmulatorOptions, "seed" | "faults">;

/** One tenant's parts: what `Emulator` shows of it, and its core. */
interface AssembledTenant extends Omit<Emulator, "fetch" | "tenant"> {
  core: EmulatorCore;
  closeState(): void;
}

/** A whole tenant: store, tokens, rate limit, faults and seed of its own, behind one core. */
function assembleTenant(options: EmulatorOptions, domain: string, access: AdminAccessSettings, scopes: string[], tenants?: TenantControls): AssembledTenant {
  const entityLimit = options.entityLimit ?? DEFAULT_ENTITY_LIMIT;
  const store = new TenantStore(linkDefaultsFromSpec(), { entityLimit }, organizationDefaultsFromSpec());
  const authority = new TokenAuthority(domain, scopes);
  const clock = createClock();
  const limiter = createLimiter(options, clock);
  const limits: LimitsControl = {
    state: () => limiter.state(),
    set(option) {
      limiter.apply({ ...limiterSettingsOrApiError(option), enforced: limiter.state().enforced });
      return limiter.state();
    },
  };
  const faults = new FaultController(options.faults, Math.random, API_PREFIX);
  const startSeed: SeedData = structuredClone(options.seed ?? {});

  // Only the emulator's own tenant is kept in a state file (`options.state`); the others live as long as the process.
  const stateFile = options.state === undefined ? undefined : new TenantStateFile(options.state, domain, () => snapshotOf(store));
  const state: EmulatorState = {
    save: () => stateFile?.flush(),
    snapshot: () => snapshotOf(store),
    seed: (data) => applySeed(store, data),
    reset: () => {
      store.clear();
      applySeed(store, startSeed);
      limiter.reset();
      faults.reset();
    },
    clear: () => store.clear(),
  };
  startTenant(store, startSeed, options.state, domain);
  if (stateFile) {
    store.onChange(() => stateFile.changed());
    // A new file is written at once, so that what it holds is always what the emulator serves.
    stateFile.flush(true);
  }

  const configuredClients = new Map<string, OAuthClient>(
    (options.clients ?? []).map((c) => [c.clientId, { clientSecret: c.clientSecret, scopes: [...c.scopes] }]),
  );
  const findClient = (clientId: string): OAuthClient | undefined => {
    const configured = configuredClients.get(clientId);
    if (configured) return configured;
    const seeded = store.findClient(clientId);
    return seeded?.client_secret ? { clientSecret: seeded.client_secret, scopes: seeded.scopes ?? scopes, seeded: true } : undefined;
  };
  const issueToken = (opts?: IssueTokenOptions) => authority.issue(opts);
  const controls: EmulatorControls = { domain, audience: authority.audience, state, faults, issueToken, tenants, limits, clock };
  const inspector = new RequestInspector(options.inspectorCapacity);
  const core = buildCore({
    store,
    authority,
    limiter,
    faults,
    controls,
    findClient,
    access,
    inspector,
    adminExtensions: (callApi) => workbenchRoutes({ domain, store, inspector, limiter, faults, callApi }),
  });
  return { domain, audience: authority.audience, state, faults, inspector, limits, clock, issueToken, core, closeState: () => stateFile?.close() };
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
    if (error instanceof ApiError)
      throw new StateFileError(`The state file ${stateFile} is not an emulator tenant: ${error.message.replace(/^Seed validation error: /, "")}`);
    throw error;
  }
}

/** An in-process `fetch` for a core: relative URLs go to `domain`; a dropped connection rejects like fetch does. */
function inProcessFetch(domain: string, dispatch: (request: Request, peer: PeerAddress) => Promise<Response>): Emulator["fetch"] {
  return async (input, init) => {
    const request =
      input instanceof Request && init === undefined
        ? input
        : new Request(typeof input === "string" && input.startsWith("/") ? `http://${domain}${input}` : input, init);
    try {
      // In-process: the caller's own process, no socket (see access.ts).
      return await dispatch(request, null);
    } catch (error) {
      // The cause is the one fetch gives for a closed socket (callers read its code), not the emulator's own signal.
      if (error instanceof DroppedConnection) {
        const closedSocket = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
        // eslint-disable-next-line preserve-caught-error
        throw new TypeError("fetch failed", { cause: closedSocket });
      }
      throw error;
    }
  };
}

/** A core behind web objects: what `emulator.fetch` and user middleware see. */
function webCoreOf(core: EmulatorCore) {
  return (request: Request, peer: PeerAddress): Promise<Response> => {
    try {
      const reply = core(plainRequestFromWeb(request, peer));
      return reply instanceof Promise
        ? reply.then((answer) => webResponseFromPlain(answer, request.method))
        : Promise.resolve(webResponseFromPlain(reply, request.method));
    } catch (error) {
      return Promise.reject(error);
    }
  };
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
  if (options.adminToken !== undefined && (typeof options.adminToken !== "string" || options.adminToken.length < MIN_ADMIN_TOKEN_LENGTH)) {
    throw new TypeError(`adminToken must be a string of at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  const scopes = allSpecScopes();
  // One access setting for the emulator and all its tenants: they answer on the same socket.
  const adminAccess: AdminAccessSettings = { adminToken: options.adminToken, enabled: true, domain };

  const tenants = new Map<string, { parts: AssembledTenant; view?: Emulator }>();
  const tenantDomain = (name: string) => `${name}.${domain.replace(/:\d+$/, "")}`;
  const tenantParts = (name: string, own?: TenantOptions): AssembledTenant => {
    checkTenantName(name);
    const existing = tenants.get(name);
    if (existing) {
      if (own) throw conflict(`The tenant ${name} exists already`, "conflict");
      return existing.parts;
    }
    if (tenants.size >= MAX_TENANTS) throw tooManyTenants(`This emulator holds ${MAX_TENANTS} tenants, its most; reuse one`);
    const parts = assembleTenant({ ...options, state: undefined, ...(own ?? {}) }, tenantDomain(name), adminAccess, scopes);
    tenants.set(name, { parts });
    return parts;
  };
  const tenantControls: TenantControls = {
    list: () => [...tenants.keys()].map((name) => ({ name, domain: tenantDomain(name) })),
    create: (name, own) => {
      tenantParts(name, own ?? {});
    },
  };
  const root = assembleTenant(options, domain, adminAccess, scopes, tenantControls);

  /** The root core, with the tenants' paths routed to their own cores. */
  const core: EmulatorCore = (request) => {
    const mounted = splitTenantPath(request.path);
    if (!mounted) return root.core(request);
    let parts: AssembledTenant;
    try {
      parts = tenantParts(mounted.name);
    } catch (error) {
      if (error instanceof ApiError) return apiErrorReply(error);
      throw error;
    }
    return parts.core(new MountedRequest(request, mounted.rest, `${TENANT_PREFIX}${mounted.name}`));
  };

  const webCore = webCoreOf(core);
  const middleware = options.middleware ?? [];
  // The peer address travels beside the request, not in it: middleware may replace the request, never where it came from.
  const dispatch = (request: Request, peer: PeerAddress): Promise<Response> => {
    if (middleware.length === 0) return webCore(request, peer);
    const chain = middleware.reduceRight<(request: Request) => Promise<Response>>(
      (next, wrap) => (outer) => wrap(outer, next),
      (inner) => webCore(inner, peer),
    );
    return chain(request);
  };

  const tenant = (name: string, own?: TenantOptions): Emulator => {
    const parts = own ? (tenantControls.create(name, own), tenantParts(name)) : tenantParts(name);
    const entry = tenants.get(name)!;
    entry.view ??= { ...withoutCore(parts), fetch: inProcessFetch(parts.domain, webCoreOf(parts.core)), tenant };
    return entry.view;
  };

  return {
    ...withoutCore(root),
    core,
    hasMiddleware: middleware.length > 0,
    dispatch,
    adminAccess,
    tenant,
    closeState: () => root.closeState(),
    fetch: inProcessFetch(domain, dispatch),
  };
}

/** `limiterSettings` for the admin API: a bad shape is Auth0's 400, not a TypeError. */
function limiterSettingsOrApiError(option: LimitsOption): ReturnType<typeof limiterSettings> {
  try {
    return limiterSettings({ limits: option });
  } catch (error) {
    if (error instanceof TypeError) throw invalidBody(error.message);
    throw error;
  }
}

// The parts are plain functions (no `this`), so taking them off the object keeps them callable.
// eslint-disable-next-line @typescript-eslint/unbound-method
const withoutCore = ({ core: _core, closeState: _closeState, ...rest }: AssembledTenant) => rest;

export { ADMIN_PREFIX };
