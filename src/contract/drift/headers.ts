/**
 * Response headers a client could rely on that the spec does not declare. Headers that belong to HTTP itself, to
 * caching, to browsers' security and CORS, or to the CDNs, load balancers and tracing systems in front of a
 * service are left out: they say nothing about the API, and they change with the infrastructure, not the contract.
 */
import type { ResponseObject } from "../../shared/spec.js";

/** Whole names of headers that are not part of an API's contract. */
const INFRASTRUCTURE_HEADERS = new Set([
  // HTTP messaging, connections and representation (RFC 9110, 9112)
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "content-language",
  "content-location",
  "content-range",
  "accept-ranges",
  "vary",
  "server",
  "via",
  "alt-svc",
  "upgrade",
  "trailer",
  "allow",
  // caching (RFC 9111) and validators
  "age",
  "cache-control",
  "expires",
  "pragma",
  "etag",
  "last-modified",
  "warning",
  // browsers: security policies and CORS
  "strict-transport-security",
  "x-content-type-options",
  "x-frame-options",
  "x-xss-protection",
  "referrer-policy",
  "content-security-policy",
  "content-security-policy-report-only",
  "permissions-policy",
  "x-permitted-cross-domain-policies",
  "x-download-options",
  "x-dns-prefetch-control",
  "origin-agent-cluster",
  "set-cookie",
  "report-to",
  "reporting-endpoints",
  "nel",
  // tracing and timing
  "server-timing",
  "timing-allow-origin",
  "traceparent",
  "tracestate",
  "x-request-id",
  "x-correlation-id",
  "x-robots-tag",
  // a mock's report on the request it was sent (Prism), not part of what it mocks
  "sl-violations",
]);

/** Name prefixes of the same kind: CORS, cross-origin isolation, CDNs, proxies and tracing. */
const INFRASTRUCTURE_PREFIXES = [
  "access-control-",
  "cross-origin-",
  "cf-",
  "x-envoy-",
  "x-amz-",
  "x-amzn-",
  "x-cache",
  "x-served-by",
  "x-timer",
  "x-akamai",
  "akamai-",
  "x-forwarded-",
  "x-b3-",
  "ot-",
  "uber-trace-",
];

export function isInfrastructureHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return INFRASTRUCTURE_HEADERS.has(lower) || INFRASTRUCTURE_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** The headers of an answer that its documented response does not declare (content type aside), with their values. */
export function undeclaredHeaders(documented: ResponseObject, headers: Record<string, string | string[] | undefined>): Array<[string, string]> {
  const declared = new Set(Object.keys(documented.headers ?? {}).map((name) => name.toLowerCase()));
  // The content type is declared by the response's `content` (and a 204's empty body still carries one on Auth0).
  declared.add("content-type");
  const found: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || declared.has(name.toLowerCase()) || isInfrastructureHeader(name)) continue;
    found.push([name.toLowerCase(), Array.isArray(value) ? value.join(", ") : value]);
  }
  return found;
}
