/**
 * The options of `createManagementClient()`, and `resolveClientOptions()`: every option checked and defaulted in
 * one place, with a clear message for every combination that cannot work. Nothing after it reads the caller's
 * options again: the client and its transport work from the `ResolvedClientOptions` it returns.
 */
import { refuseControlCharacters } from "./secrets.js";
import type { ResolvedAuth, TokenFunction } from "./auth.js";
import { resolveRetryPolicy, type RetryEvent, type RetryOptions, type RetryPolicy } from "./retry-policy.js";
import type { FetchFunction } from "./send.js";
import { AddressError, addressOfBaseUrl, addressOfDomain, type ManagementAddress } from "../shared/management-address.js";

/** Where the API is: a tenant domain, or a full base URL (a custom domain, a proxy, the local emulator). */
export type ManagementClientTarget =
  | {
      /** The tenant's domain, e.g. `tenant.eu.auth0.com`; the API is at `https://{domain}/api/v2`. */
      domain: string;
      baseUrl?: never;
    }
  | {
      /** The API's base URL including `/api/v2`, e.g. `http://127.0.0.1:8787/api/v2`. */
      baseUrl: string;
      domain?: never;
    };

/** How the client authenticates: a token (or a function giving one), or a machine-to-machine application. */
export type ManagementClientAuth =
  | {
      /** A Management API token, or a function returning one (called before each request). */
      token: string | TokenFunction;
      clientId?: never;
      clientSecret?: never;
      audience?: never;
      tokenUrl?: never;
    }
  | {
      clientId: string;
      clientSecret: string;
      /** Defaults to `https://{domain}/api/v2/`, or the base URL plus `/` when `baseUrl` is given. */
      audience?: string;
      /**
       * Defaults to `https://{domain}/oauth/token`; with `baseUrl`, `/oauth/token` beside its `/api/v2`
       * (`http://127.0.0.1:8787/tenants/a/api/v2` → `http://127.0.0.1:8787/tenants/a/oauth/token`), else at its origin.
       */
      tokenUrl?: string;
      token?: never;
    };

export interface ManagementClientSettings {
  retry?: RetryOptions;
  /**
   * The fetch to send requests with (for tests, proxies, custom agents). Defaults to the global fetch. It is called
   * as `fetch(request, { signal })`; pass the signal on (or use `request.signal`, the same one) so that a timed-out
   * or aborted attempt also stops on the wire.
   */
  fetch?: FetchFunction;
  /** Deadline for each HTTP exchange, body included (each retry gets a fresh one). Default 10 000 ms. */
  timeoutMs?: number;
  /** Extra headers sent with every request (e.g. a User-Agent). `Authorization` is always set by the client. */
  headers?: Record<string, string>;
  /** Called before every retry, e.g. to log it. Never receives a token or a body. */
  onRetry?: (event: RetryEvent) => void;
  /**
   * `false` sends every call as it comes instead of queueing it for the client's rate-limit budget: for a `fetch`
   * that paces the calls itself against the same limits (the contract run's pacer), so that one model of the
   * tenant's buckets decides when a call goes, not two that each wait for the other's. Default true.
   */
  rateBudget?: boolean;
}

export type ManagementClientOptions = ManagementClientTarget & ManagementClientAuth & ManagementClientSettings;

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Every setting of a client, checked and with its default filled in. */
export interface ResolvedClientOptions {
  /** The API's base URL without a trailing slash, e.g. `https://tenant.eu.auth0.com/api/v2`. */
  baseUrl: string;
  auth: ResolvedAuth;
  retry: RetryPolicy;
  /** The deadline of every exchange (each API attempt and each token request), body included. */
  timeoutMs: number;
  /** Sends one exchange; the global fetch, read at call time, unless the caller gave one. */
  fetch: FetchFunction;
  headers: Record<string, string> | undefined;
  onRetry: ((event: RetryEvent) => void) | undefined;
  /** Whether calls queue for the client's rate-limit budget. */
  rateBudget: boolean;
}

/** Checks and defaults every option; throws a TypeError or RangeError naming the option that cannot work. */
export function resolveClientOptions(options: ManagementClientOptions): ResolvedClientOptions {
  if (typeof options !== "object" || options === null) throw new TypeError("createManagementClient() needs an options object.");
  // Checked in this order, so that the first message names the first option a reader finds wrong.
  const address = resolveAddress(options);
  const timeoutMs = resolveTimeout(options.timeoutMs);
  const retry = resolveRetryPolicy(options.retry);
  const auth = resolveAuth(options, address);
  return {
    baseUrl: address.baseUrl,
    auth,
    retry,
    timeoutMs,
    // Read at call time, so a fetch installed globally later (a test double, an instrumented fetch) is used.
    fetch: options.fetch ?? ((request, init) => globalThis.fetch(request, init)),
    headers: options.headers,
    onRetry: options.onRetry,
    rateBudget: options.rateBudget !== false,
  };
}

function resolveTimeout(timeoutMs: number | undefined): number {
  const resolved = timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(resolved) || resolved <= 0) throw new RangeError(`\`timeoutMs\` must be a positive number of ms, got ${String(timeoutMs)}.`);
  return resolved;
}

function resolveAddress(options: ManagementClientTarget): ManagementAddress {
  const { domain, baseUrl } = options as { domain?: unknown; baseUrl?: unknown };
  if (domain !== undefined && baseUrl !== undefined) throw new TypeError("Give either `domain` or `baseUrl`, not both.");
  try {
    if (typeof domain === "string") return addressOfDomain(domain);
    if (typeof baseUrl === "string") return addressOfBaseUrl(baseUrl);
  } catch (error) {
    if (!(error instanceof AddressError)) throw error;
    throw new TypeError(typeof domain === "string" ? `\`domain\` ${error.message}; use \`baseUrl\` for a full URL.` : `\`baseUrl\` ${error.message}.`, {
      cause: error,
    });
  }
  throw new TypeError('Give `domain` (e.g. "tenant.eu.auth0.com") or `baseUrl`.');
}

function resolveAuth(options: ManagementClientAuth, address: ManagementAddress): ResolvedAuth {
  const auth = options as { token?: unknown; clientId?: unknown; clientSecret?: unknown; audience?: unknown; tokenUrl?: unknown };
  if (auth.token !== undefined && (auth.clientId !== undefined || auth.clientSecret !== undefined)) {
    throw new TypeError("Give either `token` or `clientId` and `clientSecret`, not both.");
  }
  if (typeof auth.token === "string") return { kind: "token", token: refuseControlCharacters(auth.token, "`token`") };
  if (typeof auth.token === "function") return { kind: "token function", token: auth.token as TokenFunction };
  if (auth.token !== undefined) throw new TypeError("`token` must be a string or a function returning one.");
  if (typeof auth.clientId !== "string" || !auth.clientId || typeof auth.clientSecret !== "string" || !auth.clientSecret) {
    throw new TypeError("Give `token`, or both `clientId` and `clientSecret` (client credentials).");
  }
  refuseControlCharacters(auth.clientSecret, "`clientSecret`");
  const tokenUrl = typeof auth.tokenUrl === "string" ? auth.tokenUrl : address.tokenUrl;
  const audience = typeof auth.audience === "string" ? auth.audience : address.audience;
  return { kind: "client credentials", credentials: { clientId: auth.clientId, clientSecret: auth.clientSecret, audience, tokenUrl } };
}
