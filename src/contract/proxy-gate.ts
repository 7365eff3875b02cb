/**
 * Who the contract run's proxy answers: only the run. Listening on loopback proves nothing about the caller — any
 * local user, and any web page whose name a DNS rebinding points at 127.0.0.1, can reach a loopback port — so the
 * proxy forwards a request only when all of these hold, and answers 403 otherwise (before reading a body, and
 * without it ever reaching the run's pacer):
 * - it carries the run's key (RUN_KEY_HEADER), a random secret Dredd is told to send and the proxy strips;
 * - its target is origin-form (`/…`): `//host/…`, `http://host/…` and `*` would name somewhere else;
 * - its `Host` is the proxy's own address (a rebinding page sends its own name) and it has no `Origin` of another
 *   site (Dredd sends none; a browser does);
 * - its method and path are an operation of the spec under the target's base path (what Dredd's transactions call);
 * - its body is no larger than the tenant accepts (Auth0's payload limit).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { MAX_PAYLOAD_BYTES } from "../shared/payload-limit.js";
import { listOperations } from "../shared/spec.js";

export const RUN_KEY_HEADER = "x-contract-run-key";

/** A fresh secret for one run: 32 random bytes, URL-safe. */
export function newRunKey(): string {
  return randomBytes(32).toString("base64url");
}

export interface GateSettings {
  runKey: string;
  /** The proxy's own `host:port`, as Dredd addresses it. */
  ownHost: string;
  /** The target's API base path, e.g. `/api/v2` (empty for a server at the root). */
  basePath: string;
}

interface RouteShape {
  method: string;
  segments: string[];
}

/** The spec's operations as method + path segments (`{…}` matches one segment), read once. */
let routes: RouteShape[] | undefined;
const specRoutes = () => (routes ??= listOperations().map((op) => ({ method: op.method.toUpperCase(), segments: op.pathTemplate.split("/").slice(1) })));

function sameSecret(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A path segment that a URL parser would resolve (`.`/`..`, also percent-encoded) or that cannot be decoded. */
function isSuspectSegment(segment: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return true;
  }
  return decoded === "." || decoded === ".." || decoded.includes("/") || decoded.includes("\\");
}

/** Whether `METHOD path` is one of the spec's operations under the base path. */
function isPlannedOperation(method: string, pathname: string, basePath: string): boolean {
  if (!pathname.startsWith(`${basePath}/`)) return false;
  const segments = pathname.slice(basePath.length).split("/").slice(1);
  if (segments.some((segment) => segment === "" || isSuspectSegment(segment))) return false;
  return specRoutes().some(
    (route) =>
      route.method === method &&
      route.segments.length === segments.length &&
      route.segments.every((part, index) => (part.startsWith("{") && part.endsWith("}")) || part === segments[index]),
  );
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? undefined : value);

/**
 * Why the request must not be forwarded, or undefined when it is the run's own. `target` is the request-target as
 * it arrived (Node's `request.url`).
 */
export function refusal(method: string | undefined, target: string | undefined, headers: IncomingHttpHeaders, settings: GateSettings): string | undefined {
  const key = single(headers[RUN_KEY_HEADER]);
  if (key === undefined || !sameSecret(key, settings.runKey)) return "the request does not carry the run's key";
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.includes("\\")) return "only origin-form request targets (/…) are forwarded";
  if (single(headers.host)?.toLowerCase() !== settings.ownHost.toLowerCase()) return "the request is addressed to another host";
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${settings.ownHost}`) return "requests from another origin are not forwarded";
  const pathname = target.split("?")[0] ?? "";
  if (!method || !isPlannedOperation(method, pathname, settings.basePath)) return `${method ?? "?"} ${pathname} is not an operation of the contract`;
  if (Number(single(headers["content-length"]) ?? "0") > MAX_PAYLOAD_BYTES) return `the body is larger than ${MAX_PAYLOAD_BYTES} bytes`;
  return undefined;
}
