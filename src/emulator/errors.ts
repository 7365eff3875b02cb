/**
 * Every error the emulator answers with, as a named constructor (after moto's exceptions.py): a handler, the store
 * or a check says what went wrong (`conflict(...)`, `NOT_FOUND.organization()`), and the status, Auth0's `errorCode`
 * and, where Auth0's wording is fixed, the message live here once. The app turns an ApiError into Auth0's error body.
 */

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

/** 400 `invalid_body`: a request body (or an admin call's, a seed's) that cannot be taken. */
export const invalidBody = (message: string) => new ApiError(400, message, "invalid_body");

/** 400 `invalid_query_string`: a query parameter that cannot be taken. */
export const invalidQuery = (message: string) => new ApiError(400, message, "invalid_query_string");

/** 400 with the error code the caller names (or none, as Auth0 sends some). */
export const badRequest = (message: string, errorCode?: string) => new ApiError(400, message, errorCode);

/** 400 `operation_not_supported`: a setting this kind of connection does not take. */
export const operationNotSupported = (message: string) => new ApiError(400, message, "operation_not_supported");

/** 400: an Authorization header that is not `Bearer <token>` (Auth0 puts the scheme where the error code goes). */
export const badAuthorizationHeader = () => new ApiError(400, "Bad HTTP authentication header format", "Bearer");

/** 401: no token, or one that does not verify (Auth0 sends no error code). */
export const invalidToken = (message = "Invalid token.") => new ApiError(401, message);

/** 401: a token whose signature does not verify. */
export const invalidSignature = () => invalidToken("Invalid signature received for JSON Web Token validation.");

/** 403 `insufficient_scope`: a valid token without the scope the operation needs. */
export const insufficientScope = (message: string) => new ApiError(403, message, "insufficient_scope");

/** 403 `access_denied`: the admin API refused to this caller. */
export const accessDenied = (message: string) => new ApiError(403, message, "access_denied");

/** The 404 messages Auth0 uses (exact text matters to clients that match on it). */
export const NOT_FOUND = {
  organization: () => new ApiError(404, "No organization found by that id or name"),
  /** A connection id in a request body (linking) that the tenant does not have. */
  connectionToLink: () => new ApiError(404, "The connection does not exist", "inexistent_connection"),
  /** `/connections/{id}` routes (recorded without a final period, like the one above). */
  connection: () => new ApiError(404, "The connection does not exist", "inexistent_connection"),
  /** A connection that is not linked to the organization. */
  link: () => new ApiError(404, "No connection found by that id"),
  /** A client grant the tenant does not have (not recorded: the spec's wording, see ClientGrantNotFound). */
  clientGrant: () => new ApiError(404, "The client grant does not exist"),
} as const;

/** 409: what the request would create exists already (Auth0 sends most without an error code). */
export const conflict = (message: string, errorCode?: string) => new ApiError(409, message, errorCode);

/** 422: a request Auth0 understands but will not carry out (an MCP connection's purposes). */
export const unprocessable = (message: string) => new ApiError(422, message);

/** 429 `too_many_tenants`: the emulator holds as many tenants as it may. */
export const tooManyTenants = (message: string) => new ApiError(429, message, "too_many_tenants");
