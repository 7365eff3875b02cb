/** Building replies the way Auth0 sends them. */
import { auth0ErrorBody } from "../shared/auth0-error.js";
import { stringifyReply } from "./raw-json.js";
import type { ApiError } from "./errors.js";
import type { PlainReply } from "./plain.js";

const JSON_UTF8 = "application/json; charset=utf-8";

const JSON_204 = "application/json";

/**
 * `{ ...headers, "content-type": contentType }`, copied key by key: V8 gives a spread copy that then gains a
 * property a new hidden class every time (~0.8 µs), while this copy reuses one (~0.05 µs). Every reply is built here.
 */
function withContentType(headers: Record<string, string> | undefined, contentType: string): Record<string, string> {
  const copy: Record<string, string> = {};
  if (headers !== undefined) for (const name in headers) copy[name] = headers[name] as string;
  copy["content-type"] = contentType;
  return copy;
}

/** A JSON answer; `headers` (the rate-limit headers) come first, the content type last. */
export function jsonReply(status: number, body: unknown, headers?: Record<string, string>): PlainReply {
  return { status, headers: withContentType(headers, JSON_UTF8), body: stringifyReply(body) };
}

/** Auth0 sends `Content-Type: application/json` even on its empty 204 answers. */
export function noContentReply(headers?: Record<string, string>): PlainReply {
  return { status: 204, headers: withContentType(headers, JSON_204), body: null };
}

/** What an operation handler answers; the pipeline turns it into a reply with the rate-limit headers. */
export interface Reply {
  status: number;
  /** Left out for an empty (204) answer. */
  body?: unknown;
  /** The body already serialized as JSON (lists built from cached item JSON); takes the place of `body`. */
  json?: string;
}

export const reply = (status: number, body: unknown): Reply => ({ status, body });
export const replyJson = (status: number, json: string): Reply => ({ status, json });
export const noContent = (): Reply => ({ status: 204 });

/** A handler's answer, serialized. */
export function serializeReply(result: Reply, headers?: Record<string, string>): PlainReply {
  if (result.json !== undefined) return { status: result.status, headers: withContentType(headers, JSON_UTF8), body: result.json };
  return result.body === undefined ? noContentReply(headers) : jsonReply(result.status, result.body, headers);
}

export function errorReply(status: number, message: string, errorCode?: string, headers?: Record<string, string>): PlainReply {
  return jsonReply(status, auth0ErrorBody(status, message, errorCode), headers);
}

/** Auth0's 429 for a spent budget, whether the rate limiter or a forced fault decided it. */
export function tooManyRequestsReply(headers: Record<string, string>): PlainReply {
  return errorReply(429, "Global limit has been reached", "too_many_requests", headers);
}

export function apiErrorReply(error: ApiError, headers?: Record<string, string>): PlainReply {
  return errorReply(error.status, error.message, error.errorCode, headers);
}
