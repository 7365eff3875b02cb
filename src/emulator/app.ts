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
import type { AdminAccessSettings, PeerAddress } from "./access.js";
import { mountAdminRoutes } from "./admin.js";
import type { TokenAuthority } from "./auth.js";
import { readJsonBody } from "./body.js";
import type { EmulatorControls } from "./controls.js";
import { clientGrantHandlers } from "./handlers/client-grants.js";
import { clientHandlers } from "./handlers/clients.js";
import { connectionClientHandlers } from "./handlers/connection-clients.js";
import { connectionListHandlers } from "./handlers/connection-list.js";
import { connectionHandlers } from "./handlers/connections.js";
import type { HandlerTable } from "./handlers/context.js";
import { enabledConnectionHandlers } from "./handlers/enabled-connections.js";
import { organizationAdminHandlers } from "./handlers/organization-admin.js";
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
  ...connectionListHandlers,
  ...organizationAdminHandlers,
  ...clientHandlers,
  ...clientGrantHandlers,
};

export interface AppDependencies {
  store: TenantStore;
  authority: TokenAuthority;
  limiter: RateLimiter;
  controls: EmulatorControls;
  findClient: (clientId: string) => OAuthClient | undefined;
  access: AdminAccessSettings;
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
  // No prototype: `?__proto__=x` is then an ordinary (unknown) parameter, refused like any other.
  const record = Object.create(null) as Record<string, string | string[]>;
  for (const [key, values] of Object.entries(queries)) record[key] = values.length === 1 ? (values[0] as string) : values;
  return record;
}

/** `peer`: the socket's peer address, `null` in-process (see access.ts). */
export type AppEnv = { Bindings: { peer: PeerAddress }; Variables: { rateHeaders: Record<string, string>; headersApplied: boolean } };
const RATE_HEADERS = "rateHeaders";
const HEADERS_APPLIED = "headersApplied";

export function buildApp({ store, authority, limiter, controls, findClient, access }: AppDependencies): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const linkDefaults = linkDefaultsFromSpec();

  app.onError((error) => {
    if (error instanceof ApiError) return apiErrorResponse(error);
    // Never a stack trace in a response; the cause goes to stderr for whoever runs the emulator.
    console.error(`auth0-emulator: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return errorResponse(500, "Internal Server Error");
  });
  app.notFound((c) => {
    // Auth0's answer for a path it does not serve. A tool that reads this 404 as "no such thing" (and goes on to
    // create it, or skips a whole feature) can be diagnosed from the emulator's stderr.
    if (c.req.path.startsWith(`${API_PREFIX}/`)) console.error(`auth0-emulator: unserved operation ${c.req.method} ${c.req.path}`);
    return errorResponse(404, "Not Found");
  });

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
      const sent = queryRecord(c.req.queries());
      const query = compiled.checkQuery(sent);
      let body: unknown;
      if (compiled.checkBody) {
        body = await readJsonBody(c.req.raw);
        compiled.checkBody(body);
        compiled.checkAdditionalScopes?.(body, token.scopes);
      }
      // The change and the answer built from it succeed together or not at all.
      const sentQuery = new Set(Object.keys(sent));
      const response = store.atomically(() =>
        replyResponse(
          handler({ params, query, sentQuery, body, token, store, domain: authority.domain, linkDefaults, operation: compiled.operation }),
          c.get(RATE_HEADERS),
        ),
      );
      c.set(HEADERS_APPLIED, true);
      return response;
    });
  }

  mountOAuthRoutes(app, authority, findClient, access.domain);
  mountAdminRoutes(app, controls, access);
  return app;
}
