/**
 * Where a Management API lives, worked out once: from a tenant's domain (`tenant.eu.auth0.com`) or from a base URL
 * (`http://127.0.0.1:8787/api/v2`, `http://127.0.0.1:8787/tenants/a/api/v2`) to the origin, the base URL, the
 * token URL and the audience. The client, the contract run and the emulator's callers all derive these here, so a
 * trailing slash, a tenant prefix or the base path is handled in one place.
 */
import { API_BASE_PATH } from "../../generated/spec-facts.js";

export interface ManagementAddress {
  /** `https://tenant.eu.auth0.com`, `http://127.0.0.1:8787`. */
  origin: string;
  /** The host name alone (no port), for host checks. */
  hostname: string;
  /** The API's base URL without a trailing slash: `https://tenant.eu.auth0.com/api/v2`. */
  baseUrl: string;
  /** The base URL's path without a trailing slash (`/api/v2`, `/tenants/a/api/v2`; empty for a bare origin). */
  basePath: string;
  /**
   * What comes before the API's base path (`http://127.0.0.1:8787/tenants/a`; the origin when the path does not end
   * in the base path): where the token endpoint and an emulator's admin API sit.
   */
  root: string;
  /** `POST {root}/oauth/token`: where client credentials are exchanged for a token. */
  tokenUrl: string;
  /** The token audience the API expects: the base URL with a trailing slash (`https://{domain}/api/v2/`). */
  audience: string;
}

/** A value that is not a usable domain or base URL; the message says which form is expected. */
export class AddressError extends TypeError {}

/** The address of a tenant's Management API from its domain (a host name, optionally with a port). */
export function addressOfDomain(domain: string): ManagementAddress {
  const host = domain.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(`https://${host}`);
  } catch {
    parsed = undefined;
  }
  if (!host || !parsed || parsed.host !== host.toLowerCase() || /[/?#@]/.test(host)) {
    throw new AddressError(`must be a host name such as "tenant.eu.auth0.com" (got ${JSON.stringify(domain)})`);
  }
  return addressOf(parsed.origin, API_BASE_PATH);
}

/** The address of a Management API from its base URL (http or https; a trailing slash is ignored). */
export function addressOfBaseUrl(baseUrl: string): ManagementAddress {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new AddressError(`must be an absolute URL such as "http://127.0.0.1:8787${API_BASE_PATH}" (got ${JSON.stringify(baseUrl)})`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new AddressError("must be an http or https URL");
  return addressOf(parsed.origin, parsed.pathname.replace(/\/+$/, ""));
}

function addressOf(origin: string, basePath: string): ManagementAddress {
  const baseUrl = `${origin}${basePath}`;
  const root = basePath.endsWith(API_BASE_PATH) ? `${origin}${basePath.slice(0, -API_BASE_PATH.length)}` : origin;
  return { origin, hostname: new URL(origin).hostname, baseUrl, basePath, root, tokenUrl: `${root}/oauth/token`, audience: `${baseUrl}/` };
}
