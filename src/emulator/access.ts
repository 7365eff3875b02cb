/**
 * Who may use the emulator's admin API (and the secrets of seeded applications). The emulator runs on developers'
 * laptops next to a browser and in CI next to other jobs, so by default only the machine itself may call it:
 *
 * - the socket peer is loopback (by the project's one rule, src/shared/loopback.ts); in-process `emulator.fetch` counts as loopback
 *   (it is the caller's own process). Forwarding headers (`X-Forwarded-For`, `Forwarded`) are never read;
 * - the `Host` (and the request URL's host) is a loopback name or address — `localhost`, `127.x.x.x`, `[::1]`, any
 *   port — so a DNS-rebinding page cannot reach it under its own name. In-process, the emulator's own domain is
 *   also accepted: `emulator.fetch("/__emulator/state")` fills it in;
 * - an `Origin` header, when sent, names a loopback host (a web page elsewhere cannot drive it; `Origin: null` is
 *   foreign too);
 * - writes (POST, PUT, PATCH, DELETE) send `Content-Type: application/json`, which a page cannot send across origins
 *   without a CORS preflight the emulator never grants.
 *
 * With an admin token (`adminToken`, the CLI's `--admin-token-file` or `AUTH0_EMULATOR_ADMIN_TOKEN`) every admin call
 * must carry `Authorization: Bearer <token>`; a caller that does may come from any address under any Host (the
 * Origin and content-type rules still apply). An emulator listening on a non-loopback address without one turns
 * the admin API off.
 */
import { timingSafeEqual } from "node:crypto";
import { isLoopbackAddress, isLoopbackHostname } from "../shared/loopback.js";
import type { PlainRequest } from "./plain.js";
import { accessDenied } from "./errors.js";

export interface AdminAccessSettings {
  /** Required as `Authorization: Bearer <token>` on every admin call when set. */
  adminToken?: string | undefined;
  /** False turns the admin API off (a non-loopback listener without an admin token). */
  enabled: boolean;
  /** The emulator's domain, accepted as the host of in-process requests. */
  domain: string;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The host name of a `Host` header value (`name`, `name:port`, `[v6]`, `[v6]:port`); undefined when malformed. */
function hostnameOf(hostHeader: string): string | undefined {
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(hostHeader);
  if (bracketed) return bracketed[1];
  const named = /^([^:[\]\s]+)(?::\d{1,5})?$/.exec(hostHeader);
  return named?.[1];
}

function hostAllowed(request: PlainRequest, domain: string): boolean {
  const header = request.header("host");
  const names = [...(request.targetHostname === undefined ? [] : [request.targetHostname]), ...(header === undefined ? [] : [hostnameOf(header.trim())])];
  const inProcessDomain = request.peer === null ? domain.toLowerCase().replace(/:\d+$/, "") : undefined;
  return names.every((name) => name !== undefined && (isLoopbackHostname(name) || name.toLowerCase() === inProcessDomain));
}

function originAllowed(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return isLoopbackHostname(new URL(origin).hostname);
  } catch {
    return false; // `null` and anything else that is not a URL
  }
}

function sameSecret(sent: string, expected: string): boolean {
  const sentBytes = Buffer.from(sent, "utf8");
  const expectedBytes = Buffer.from(expected, "utf8");
  // Compared in constant time; a length mismatch compares the expected bytes with themselves so the time does not depend on it either.
  return timingSafeEqual(sentBytes.length === expectedBytes.length ? sentBytes : expectedBytes, expectedBytes) && sentBytes.length === expectedBytes.length;
}

function bearerOf(header: string | undefined): string | undefined {
  return /^Bearer +(\S+)$/i.exec(header?.trim() ?? "")?.[1];
}

/** Whether the request comes from this machine by every rule above (peer, Host, Origin), admin token aside. */
export function isLocalCaller(request: PlainRequest, domain: string): boolean {
  return (request.peer === null || isLoopbackAddress(request.peer)) && hostAllowed(request, domain) && originAllowed(request.header("origin"));
}

/** Throws Auth0's 403 unless the request may use the admin API. */
export function assertAdminAccess(request: PlainRequest, settings: AdminAccessSettings): void {
  if (!settings.enabled) {
    throw accessDenied(
      "The admin API is off: the emulator listens on a non-loopback address without an admin token (--admin-token-file or AUTH0_EMULATOR_ADMIN_TOKEN).",
    );
  }
  if (!originAllowed(request.header("origin"))) throw accessDenied("The admin API does not answer requests from web pages of other origins.");
  if (WRITE_METHODS.has(request.method) && !/^application\/json\s*(;|$)/i.test(request.header("content-type") ?? "")) {
    throw accessDenied("Admin API writes must send Content-Type: application/json.");
  }
  if (settings.adminToken !== undefined) {
    const sent = bearerOf(request.header("authorization"));
    if (sent === undefined || !sameSecret(sent, settings.adminToken)) throw accessDenied("The admin API needs Authorization: Bearer <admin token>.");
    return;
  }
  if (!(request.peer === null || isLoopbackAddress(request.peer))) throw accessDenied("The admin API answers loopback callers only.");
  if (!hostAllowed(request, settings.domain))
    throw accessDenied("The admin API answers only requests addressed to a loopback host (localhost, 127.0.0.1, [::1]).");
}
