/**
 * Auth0's error body — `{ statusCode, error, message, errorCode? }` — built by the emulator and read by the
 * client. The shape itself comes from the spec (`ErrorResponse`); this module only adds the reason phrases and
 * a type guard so both sides agree on them.
 */
import type { ErrorResponse } from "../../generated/schema.js";

export type Auth0ErrorBody = ErrorResponse;

/** The reason phrase Auth0 puts in `error` for each status it uses. */
export const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Builds an error body the way Auth0 does: `errorCode` only when there is one. */
export function auth0ErrorBody(statusCode: number, message: string, errorCode?: string): Auth0ErrorBody {
  const body: Auth0ErrorBody = { statusCode, error: REASON_PHRASES[statusCode] ?? "Error", message };
  if (errorCode !== undefined) body.errorCode = errorCode;
  return body;
}

/** True when a parsed JSON value has Auth0's error shape. */
export function isAuth0ErrorBody(value: unknown): value is Auth0ErrorBody {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.statusCode === "number" &&
    typeof v.error === "string" &&
    typeof v.message === "string" &&
    (v.errorCode === undefined || typeof v.errorCode === "string")
  );
}
