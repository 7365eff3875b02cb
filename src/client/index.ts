/** The typed Management API client: everything the package's main entry point offers. */
export { createManagementClient } from "./client.js";
export type { ManagementClient, SuccessData } from "./client.js";
export type { ManagementClientAuth, ManagementClientOptions, ManagementClientSettings, ManagementClientTarget } from "./options.js";
export { ManagementApiError, ManagementNetworkError } from "./errors.js";
export type { GivingUp, ManagementApiErrorDetails } from "./errors.js";
export { DEFAULT_PAGE_SIZE, paginate, PaginationLimitError } from "./paginate.js";
export type { PaginatedItem, PaginatedPath, PaginateInit } from "./paginate.js";
export { readRateLimit } from "./rate-limit.js";
export type { RateLimit } from "./rate-limit.js";
export type { RetryOptions, RetryReason, StopReason } from "./retry-policy.js";
// For callers that pace requests themselves (the contract run's pacer) by the rules the client retries by.
export { requestedWaitMs, retryAfterMs } from "./retry-policy.js";
// For callers that send their own requests with the client's client-credentials tokens (the contract run's).
export { clientCredentialsTokenSource } from "./auth.js";
export type { TokenSource } from "./auth.js";
export { SecretKeeper } from "./secrets.js";
export type { RetryEvent } from "./retry-policy.js";
export type { TokenFunction } from "./auth.js";
export type { Exact, StrictClientMethod, StrictClientRequestMethod } from "./strict-types.js";
export type { FetchFunction } from "./send.js";
