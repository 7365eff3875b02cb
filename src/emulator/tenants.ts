/**
 * Tenants: several independent tenants in one emulator, so that test files running in parallel share one process
 * without sharing state. A tenant is addressed by a path prefix, `/tenants/{name}`, under which it serves everything
 * the emulator does (`/api/v2`, `/oauth/token`, `/.well-known/jwks.json`, `/__emulator/*`); its domain is
 * `{name}.{the emulator's domain}` (`a.emulator.local`), so its tokens' audience is its own and a token of one tenant
 * is refused by another. Each has its own state, seed, faults, rate-limit window and tokens.
 *
 * Why a path prefix rather than the `Host` header: every HTTP client can set a base URL, few let a test set `Host`
 * (fetch forbids it in browsers, and the typed client's token request sends none of the caller's headers); and a
 * base URL is what the client, the contract command and the SDK's `fetch` rewrite already take. Firebase's emulators
 * key projects by a path segment the same way.
 *
 * A tenant is made on first use with the emulator's start-up options, or explicitly (`POST /__emulator/tenants`,
 * `emulator.tenant(name, options)`) with a seed and faults of its own.
 */
import type { PlainRequest } from "./plain.js";
import { invalidBody } from "./errors.js";

export const TENANT_PREFIX = "/tenants/";
/** A DNS label: the tenant's name becomes the first label of its domain. */
const TENANT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A guard against a runaway loop making tenants: each holds a whole tenant's state. */
export const MAX_TENANTS = 1_000;

/** Throws a 400 in Auth0's shape unless `name` can name a tenant. */
export function checkTenantName(name: unknown): string {
  if (typeof name !== "string" || !TENANT_NAME.test(name)) {
    throw invalidBody(
      `A tenant name is a DNS label: 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen (got ${JSON.stringify(name)})`,
    );
  }
  return name;
}

/** `/tenants/a/api/v2/x` → `{ name: "a", rest: "/api/v2/x" }`; undefined when the path is not under a tenant prefix. */
export function splitTenantPath(path: string): { name: string; rest: string } | undefined {
  if (!path.startsWith(TENANT_PREFIX)) return undefined;
  const slash = path.indexOf("/", TENANT_PREFIX.length);
  const name = path.slice(TENANT_PREFIX.length, slash < 0 ? path.length : slash);
  return { name, rest: slash < 0 ? "/" : path.slice(slash) };
}

/** The request as the tenant sees it: its path without the prefix, everything else the original's. */
export class MountedRequest implements PlainRequest {
  readonly method: string;
  readonly query: string;
  readonly targetHostname: string | undefined;
  readonly peer: PlainRequest["peer"];

  constructor(
    private readonly inner: PlainRequest,
    readonly path: string,
    readonly mountPath: string,
  ) {
    this.method = inner.method;
    this.query = inner.query;
    this.targetHostname = inner.targetHostname;
    this.peer = inner.peer;
  }

  header(name: string): string | undefined {
    return this.inner.header(name);
  }

  readBody(): Promise<string> {
    return this.inner.readBody();
  }
}
