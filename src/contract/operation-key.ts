/**
 * The operation a request calls, as the rate-limit learner names it (`GET /organizations/{id}`): requests of one
 * operation draw on the same buckets. A path the spec does not know keeps its own path as its name.
 */
import { createOperationMatcher } from "../shared/response-validation.js";

let matcher: ReturnType<typeof createOperationMatcher> | undefined;

/** `pathname` is the request's whole path; `basePath` the API's prefix on the target (e.g. `/api/v2`). */
export function operationKey(method: string, pathname: string, basePath: string): string {
  const relative = basePath !== "" && pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  matcher ??= createOperationMatcher();
  const op = matcher(method, relative);
  return `${method.toUpperCase()} ${op ? op.pathTemplate : relative}`;
}
