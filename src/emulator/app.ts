/**
 * The Hono app: one route per operation in the spec (a missing handler is a start-up error, so the emulator
 * always serves the whole spec), each running the same pipeline Auth0's API does:
 *
 *   rate limit → token (401/400) → scope (403) → path (invalid_uri) → query (invalid_query_string)
 *   → body (invalid_body) → scopes the body's fields need (403, the spec's `x-additional-scopes`) → handler
 *
 * plus the OAuth endpoints and the admin API. Every `/api/v2` response carries the `x-ratelimit-*` headers.
 */
import { Hono } from "hono";
import { type JsonSchema, loadDereferencedSpec } from "../shared/spec.js";
import { mountAdminRoutes } from "./admin.js";
import type { TokenAuthority } from "./auth.js";
import { readJsonBody } from "./body.js";
import type { EmulatorControls } from "./controls.js";
import { connectionClientHandlers } from "./handlers/connection-clients.js";
import { connectionHandlers } from "./handlers/connections.js";
import type { HandlerTable } from "./handlers/context.js";
import { enabledConnectionHandlers } from "./handlers/enabled-connections.js";
import { organizationConnectionHandlers } from "./handlers/organization-connections.js";
import { organizationHandlers } from "./handlers/organizations.js";
import { mountOAuthRoutes, type OAuthClient } from "./oauth.js";
import type { RateLimiter } from "./rate-limit.js";
import { ApiError, apiErrorResponse, errorResponse, replyResponse } from "./responses.js";
import type { LinkDefaults, TenantStore } from "./store.js";
import { API_PREFIX, compiledOperations } from "./validation.js";

const HANDLERS: HandlerTable = {
  ...organizationHandlers,
  ...enabledConnectionHandlers,
  ...organizationConnectionHandlers,
  ...connectionHandlers,
  ...connectionClientHandlers,
};

export interface AppDependencies {
  store: TenantStore;
  authority: TokenAuthority;
  limiter: RateLimiter;
  controls: EmulatorControls;
  findClient: (clientId: string) => OAuthClient | undefined;
}

/** The settings a new link gets when the request leaves them out, read from the spec's request schema. */
export function linkDefaultsFromSpec(): LinkDefaults {
  const schema = loadDereferencedSpec().components?.schemas?.CreateOrganizationConnectionRequest as JsonSchema | undefined;
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const fromSpec = <T>(name: string, fallback: T): T => (properties[name]?.default as T | undefined) ?? fallback;
  return {
    assign_membership_on_login: fromSpec("assign_membership_on_login", false),
    show_as_button: fromSpec("show_as_button", true),
    is_signup_enabled: fromSpec("is_signup_enabled", false),
    is_enabled: fromSpec("is_enabled", true),
    // The spec states this default in prose only ("New links start at `none`").
    organization_access_level: fromSpec("organization_access_level", "none"),
  };
}

function queryRecord(queries: Record<string, string[]>): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(queries)) record[key] = values.length === 1 ? (values[0] as string) : values;
  return record;
}

type AppEnv = { Variables: { rateHeaders: Record<string, string>; headersApplied: boolean } };
const RATE_HEADERS = "rateHeaders";
const HEADERS_APPLIED = "headersApplied";

export function buildApp({ store, authority, limiter, controls, findClient }: AppDependencies): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const linkDefaults = linkDefaultsFromSpec();

  app.onError((error) => {
    if (error instanceof ApiError) return apiErrorResponse(error);
    // Never a stack trace in a response; the cause goes to stderr for whoever runs the emulator.
    console.error(`auth0-emulator: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return errorResponse(500, "Internal Server Error");
  });
  app.notFound(() => errorResponse(404, "Not Found"));

  // Rate limiting for every /api/v2 request. Successful operations get the headers when their response is built
  // (see replyResponse); everything else (errors, unknown routes) gets them added here.
  app.use(`${API_PREFIX}/*`, async (c, next) => {
    const decision = limiter.take();
    if (!decision.allowed) {
      return errorResponse(429, "Global limit has been reached", "too_many_requests", decision.headers);
    }
    c.set(RATE_HEADERS, decision.headers);
    await next();
    if (!c.get(HEADERS_APPLIED)) for (const [name, value] of Object.entries(decision.headers)) c.res.headers.set(name, value);
  });

  for (const compiled of compiledOperations()) {
    const handler = HANDLERS[compiled.operation.operationId];
    if (!handler) throw new Error(`The emulator has no handler for ${compiled.operation.operationId} (${compiled.operation.method.toUpperCase()} ${compiled.operation.pathTemplate})`);
    const expectedScopes = `Insufficient scope, expected any of: ${compiled.scopes.join(",")}`;

    app.on(compiled.operation.method.toUpperCase(), compiled.route, async (c) => {
      const authorization = c.req.header("authorization") ?? null;
      const token = authority.knownClaims(authorization) ?? (await authority.authenticate(authorization));
      if (compiled.scopes.length > 0 && !compiled.scopes.some((scope) => token.scopes.has(scope))) {
        throw new ApiError(403, expectedScopes, "insufficient_scope");
      }
      const params = c.req.param() as Record<string, string>;
      compiled.checkPath(params);
      const query = compiled.checkQuery(queryRecord(c.req.queries()));
      let body: unknown;
      if (compiled.checkBody) {
        body = await readJsonBody(c.req.raw);
        compiled.checkBody(body);
        compiled.checkAdditionalScopes?.(body, token.scopes);
      }
      const result = handler({ params, query, body, token, store, domain: authority.domain, linkDefaults, operation: compiled.operation });
      c.set(HEADERS_APPLIED, true);
      return replyResponse(result, c.get(RATE_HEADERS));
    });
  }

  mountOAuthRoutes(app, authority, findClient);
  mountAdminRoutes(app, controls);
  return app;
}
