/**
 * Holds every answer the fuzzers see to the spec: the status is documented for the operation, the body and
 * headers validate, and anything that is not a success is Auth0's error shape. Also counts what it checked.
 */
import { isAuth0ErrorBody } from "../../shared/auth0-error.js";
import { createOperationMatcher, createResponseValidator, type ObservedResponse } from "../../shared/response-validation.js";
import { API_PREFIX } from "../../emulator/spec-facts.js";

export { API_PREFIX };

export interface SpecChecker {
  /** The problems with one answer (empty when it is fine). `pathname` is the full path, `/api/v2/...`. */
  check(method: string, pathname: string, response: ObservedResponse): string[];
  readonly counts: { checked: number; serverErrors: number };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function createSpecChecker(): SpecChecker {
  const validate = createResponseValidator();
  const matchOperation = createOperationMatcher();
  const counts = { checked: 0, serverErrors: 0 };
  return {
    counts,
    check(method, pathname, response) {
      counts.checked += 1;
      const problems: string[] = [];
      if (response.status >= 500) {
        counts.serverErrors += 1;
        problems.push(`server error ${response.status}`);
      }
      if (response.status >= 400 && !isAuth0ErrorBody(parseJson(response.body))) problems.push(`error body is not Auth0's shape: ${response.body.slice(0, 120)}`);
      const op = pathname.startsWith(`${API_PREFIX}/`) ? matchOperation(method, pathname.slice(API_PREFIX.length)) : undefined;
      // A route the spec does not have may only be Auth0's 404.
      if (!op) {
        if (response.status !== 404) problems.push(`${method} ${pathname} matches no operation but answered ${response.status}`);
      } else {
        problems.push(...validate(op, response));
      }
      return problems.map((p) => `${method} ${pathname} → ${response.status}: ${p}`);
    },
  };
}
