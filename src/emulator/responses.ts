/** Building responses the way Auth0 sends them. */
import { auth0ErrorBody } from "../shared/auth0-error.js";

const JSON_UTF8 = "application/json; charset=utf-8";

/** An error a handler or the store raises; the app turns it into Auth0's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * Headers are passed in whole when the response is built: the HTTP adapter's fast path only stays fast when
 * nobody touches `response.headers` afterwards.
 */
export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...headers, "content-type": JSON_UTF8 } });
}

/** Auth0 sends `Content-Type: application/json` even on its empty 204 answers. */
export function noContentResponse(headers?: Record<string, string>): Response {
  return new Response(null, { status: 204, headers: { ...headers, "content-type": "application/json" } });
}

/** What an operation handler answers; the pipeline turns it into a Response with the rate-limit headers. */
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

export function replyResponse(result: Reply, headers?: Record<string, string>): Response {
  if (result.json !== undefined) return new Response(result.json, { status: result.status, headers: { ...headers, "content-type": JSON_UTF8 } });
  return result.body === undefined ? noContentResponse(headers) : jsonResponse(result.status, result.body, headers);
}

export function errorResponse(status: number, message: string, errorCode?: string, headers?: Record<string, string>): Response {
  return jsonResponse(status, auth0ErrorBody(status, message, errorCode), headers);
}

export function apiErrorResponse(error: ApiError): Response {
  return errorResponse(error.status, error.message, error.errorCode);
}

/** The 404 messages Auth0 uses (exact text matters to clients that match on it). */
export const NOT_FOUND = {
  organization: () => new ApiError(404, "No organization found by that id or name"),
  /** A connection id in a request body (linking) that the tenant does not have. */
  connectionToLink: () => new ApiError(404, "The connection does not exist", "inexistent_connection"),
  /** `/connections/{id}` routes (recorded without a final period, like the one above). */
  connection: () => new ApiError(404, "The connection does not exist", "inexistent_connection"),
  /** A connection that is not linked to the organization. */
  link: () => new ApiError(404, "No connection found by that id"),
} as const;
