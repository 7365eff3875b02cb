/**
 * The one check every answer the tests and the fuzzer see goes through (test/emulator/helpers.ts's
 * `validatingFetch`, and the fuzz harness's calls): the status is documented for the operation, the body and the
 * documented headers validate against the spec (src/shared/response-validation.ts), a 204 still says JSON (as
 * Auth0 does), anything 4xx/5xx is Auth0's error shape with its own status in `statusCode`, no 5xx unless the
 * caller provoked it on purpose, and a path that is no operation of the spec may only answer Auth0's 404.
 */
import { isAuth0ErrorBody } from "../../src/shared/auth0-error.js";
import { createOperationMatcher, createResponseValidator, type ObservedResponse } from "../../src/shared/response-validation.js";
import { API_PREFIX } from "../../src/emulator/spec-facts.js";

/** Where the spec's paths hang off the server (`/api/v2`): the emulator reads it from the spec once. */
export { API_PREFIX };

export interface ResponseCheckerOptions {
  /** Statuses the spec does not document that the caller provokes on purpose (forced 500/503 faults): their body must still be Auth0's error shape. */
  allowUndocumented?: readonly number[];
}

export interface ResponseChecker {
  /** The problems with one answer, each naming the request (empty when it is fine). `pathname` is the full path, `/api/v2/...`. */
  check(method: string, pathname: string, response: ObservedResponse): string[];
  /** `checked`: answers validated against an operation of the spec; `serverErrors`: 5xx answers not allowed up front. */
  readonly counts: { checked: number; serverErrors: number };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function contentType(headers: ObservedResponse["headers"]): string {
  if (headers instanceof Headers) return headers.get("content-type") ?? "";
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

export function createResponseChecker(options: ResponseCheckerOptions = {}): ResponseChecker {
  const validate = createResponseValidator();
  const matchOperation = createOperationMatcher();
  const counts = { checked: 0, serverErrors: 0 };
  const allowed = new Set(options.allowUndocumented ?? []);
  return {
    counts,
    check(method, pathname, response) {
      const problems: string[] = [];
      const { status, body } = response;
      if (status >= 500 && !allowed.has(status)) {
        counts.serverErrors += 1;
        problems.push(`server error ${status}`);
      }
      if (status >= 400) {
        const parsed = parseJson(body);
        if (!isAuth0ErrorBody(parsed) || parsed.statusCode !== status) problems.push(`error body is not Auth0's shape: ${body.slice(0, 120)}`);
      }
      const operation = pathname.startsWith(`${API_PREFIX}/`) ? matchOperation(method, pathname.slice(API_PREFIX.length)) : undefined;
      if (!operation) {
        if (status !== 404) problems.push(`matches no operation but answered ${status}`);
      } else if (!allowed.has(status)) {
        counts.checked += 1;
        problems.push(...validate(operation, response));
        if (status === 204 && !/^application\/json/.test(contentType(response.headers))) problems.push("204 without Content-Type: application/json");
      }
      return problems.map((problem) => `${method} ${pathname} → ${status}: ${problem}`);
    },
  };
}
