/**
 * The public shapes of the emulator: its options, the seed format (shared by `options.seed`, the CLI's `--seed`
 * file and `POST /__emulator/seed`) and the fault settings. Resource fields use the spec's own types, so a seed
 * entry looks exactly like the request body that would create the resource.
 */
import type { Client, ClientGrant, CreateConnectionRequest, CreateOrganizationConnectionRequest, CreateOrganizationRequest } from "../../generated/schema.js";

/** An organization to create; `id` is generated when left out. */
export type SeedOrganization = CreateOrganizationRequest & { id?: string };

/** A tenant connection to create; `id` is generated when left out. `options` get the strategy's defaults added. */
export type SeedConnection = CreateConnectionRequest & { id?: string };

/**
 * A link between an organization and a connection, with the `connections` family's settings. `organization_id`
 * and `connection_id` may name the organization or connection by id or, failing that, by name.
 */
export type SeedLink = CreateOrganizationConnectionRequest & { organization_id: string };

/**
 * A tenant application: the fields `GET /clients` shows (the spec's `Client`), plus, for `POST /oauth/token`, a
 * `client_secret` and the scopes its tokens get. The secret and scopes are never shown by the API.
 */
export interface SeedClient extends Client {
  client_id: string;
  client_secret?: string;
  /** The scopes its tokens get; every scope in the spec when left out. */
  scopes?: string[];
}

/**
 * A client grant as `GET /client-grants` shows it (`id` is generated when left out), plus the organizations it is
 * associated with (`GET /organizations/{id}/client-grants`), by id or name.
 */
export type SeedClientGrant = Omit<ClientGrant, "id"> & { id?: string; organization_ids?: string[] };

/** JSON-serialisable tenant contents. */
export interface SeedData {
  organizations?: SeedOrganization[];
  connections?: SeedConnection[];
  clients?: SeedClient[];
  client_grants?: SeedClientGrant[];
  links?: SeedLink[];
}

/**
 * One fault, aimed like an msw override: what it hits (nothing named: every Management API request; the token
 * endpoint only when `path` is `/oauth/token`), how often, and what it does. The newest rule that matches a request
 * decides for it.
 */
export interface FaultRule {
  /** The spec's operation id, e.g. `createOrganization`. */
  operation?: string;
  /** `GET`, `POST`, `PATCH`, `PUT`, `DELETE` (a `GET` rule also hits `HEAD`). */
  method?: string;
  /**
   * A path template of the spec (`/organizations/{id}`), a concrete path (`/organizations/org_1`), either with or
   * without `/api/v2`, or `/oauth/token` for the token endpoint.
   */
  path?: string;
  /** Hit this many requests, then go away. Default: for ever. */
  times?: number;
  /** The same as `times: 1`. */
  once?: boolean;
  /** Added delay before the response, in milliseconds. */
  latencyMs?: number;
  /**
   * Answer with this status (and Auth0's error body) instead of carrying the request out; `count` and `fraction`
   * limit it to that many (or that share) of the requests the rule hits. `retryAfter`: the `Retry-After` seconds
   * sent with it (default 0 for 429 and 503, none for 500); the `x-ratelimit-reset` of the answer agrees.
   */
  status?: { code: 429 | 500 | 503; count?: number; fraction?: number; retryAfter?: number };
  /** Close the connection without answering (in-process `fetch` rejects like a network failure). */
  drop?: { count?: number; fraction?: number };
}

/**
 * Forced failures, for testing how an application copes: one rule at the top (usually unaimed), more in `rules`.
 * The shape of `options.faults`, `faults.set()`, `faults.current()` and `GET`/`POST /__emulator/faults`.
 */
export interface FaultOptions extends FaultRule {
  /** More rules, newest first. */
  rules?: FaultRule[];
}

/**
 * The shorthand for one tenant bucket: `limit` requests at once (the burst), refilled at `limit` per `windowMs`
 * (all callers together, like Auth0's tenant limit). `limits` describes any other shape.
 */
export interface RateLimitOptions {
  /** The burst, and the requests added back per `windowMs`. */
  limit: number;
  /** In milliseconds. */
  windowMs: number;
}

export type { LimitsOption } from "./limits/limiter.js";
export type { BucketOption, EndpointGroupOption, HeaderPolicy, LimitsShape } from "./limits/shape.js";

export interface OAuthClientOption {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

/** Wraps the whole app; call `next` to continue (possibly with a different request) and return a response. */
export type EmulatorMiddleware = (request: Request, next: (request: Request) => Promise<Response>) => Promise<Response>;

export interface EmulatorOptions {
  /** The tenant domain; the token audience is `https://{domain}/api/v2/`. Default `emulator.local`. */
  domain?: string;
  /** Tenant contents at start-up (and after `reset`). */
  seed?: SeedData;
  /**
   * A state file: the tenant is loaded from it when it exists (else from `seed`) and written back, whole, after
   * every change and when the emulator stops. Client secrets are never written; those the `seed` gives are applied
   * to the loaded applications. A file that is not an emulator's tenant file throws a `StateFileError`.
   */
  state?: string;
  /** How many answered Management API requests the request inspector keeps. Default 200; 0 keeps none. */
  inspectorCapacity?: number;
  /**
   * Auth0's rate limits: a preset by subscription type (`free`, `self-service`, `enterprise`,
   * `enterprise-non-production`, `private-cloud-dev`, `private-cloud-100` … `private-cloud-10000`), or a shape of
   * one's own (a tenant bucket and endpoint-group buckets). Default: generous limits that are never met.
   */
  limits?: import("./limits/limiter.js").LimitsOption;
  /** Shorthand for `limits` with one tenant bucket. `false` never answers 429 (the headers are still sent). */
  rateLimit?: RateLimitOptions | false;
  faults?: FaultOptions;
  /** Connections per organization. Default 10, like Auth0. */
  entityLimit?: number;
  /** Machine-to-machine applications that may use `POST /oauth/token`. */
  clients?: OAuthClientOption[];
  /** Applied around the whole app, outermost first. */
  middleware?: EmulatorMiddleware[];
  /**
   * A secret (16 characters or more) every admin API call must then send as `Authorization: Bearer <adminToken>`,
   * from any address. Without it the admin API answers only loopback callers, and `startEmulator` on a non-loopback
   * address turns it off.
   */
  adminToken?: string;
}

export interface IssueTokenOptions {
  /** Default: every scope the spec declares. */
  scopes?: string[];
  /** Seconds, or a jose time span such as `"1h"`. Default 24 hours. Negative values give an expired token. */
  expiresIn?: number | string;
  /** Default `https://{domain}/api/v2/`. */
  audience?: string;
  /** Default `emulator-client`. */
  clientId?: string;
}
