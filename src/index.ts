/**
 * auth0-org-connections-toolkit: a typed client for Auth0's organization-connection Management API endpoints.
 * Request and response types come from the OpenAPI spec; import them from `auth0-org-connections-toolkit/types`.
 */
export * from "./client/index.js";
