/**
 * The emulator's transport-agnostic core: a plain request in, a plain reply out (see plain.ts). Routing is compiled
 * once from the spec (one route per operation; a missing handler is a start-up error, so the emulator always
 * serves the whole spec), and every operation runs the pipeline Auth0's API does:
 *
 *   rate limits (the tenant's bucket and the operation's endpoint groups) → token (401/400) → scope (403) → path (invalid_uri) → query (invalid_query_string)
 *   → body (invalid_body) → scopes the body's fields need (403, the spec's `x-additional-scopes`) → handler
 *   → serialized reply
 *
 * plus the OAuth endpoints and the admin API, with faults in front of the emulated APIs. Every `/api/v2` reply
 * carries the `x-ratelimit-*` headers. A request whose token was seen before is answered synchronously; only a new
 * token, a body or a fault makes the reply a promise.
 */
import { type AdminAccessSettings } from "./access.js";
import { type AdminHandler, adminRoutes, isAdminPath, serveAdmin } from "./admin.js";
import type { TokenAuthority, TokenClaims } from "./auth.js";
import { parseJsonBody } from "./body.js";
import type { EmulatorControls } from "./controls.js";
import { DroppedConnection, type FaultController, type FaultTarget, TOKEN_PATH } from "./faults.js";
import { HANDLERS } from "./handlers/table.js";
import type { OperationContext, OperationId } from "./handlers/context.js";
import { oauthEndpoints, type OAuthClient } from "./oauth.js";
import type { PlainReply, PlainRequest } from "./plain.js";
import type { FaultRule } from "./types.js";
import type { TenantLimiter } from "./limits/limiter.js";
import { newNote, type RequestInspector, type RequestNote } from "./inspector.js";
import { apiErrorReply, errorReply, type Reply, serializeReply, tooManyRequestsReply } from "./responses.js";
import { TemplateRouter } from "./router.js";
import { API_PREFIX, isApiPath, linkDefaultsFromSpec } from "./spec-facts.js";
import type { TenantStore } from "./store.js";
import { type CompiledOperation, compiledOperations } from "./validation.js";
import { RATE_LIMIT_HEADERS } from "../../generated/spec-facts.js";
import { ApiError, insufficientScope } from "./errors.js";

export interface CoreDependencies {
  store: TenantStore;
  authority: TokenAuthority;
  limiter: TenantLimiter;
  faults: FaultController;
  controls: EmulatorControls;
  findClient: (clientId: string) => OAuthClient | undefined;
  access: AdminAccessSettings;
  /** Where every answered Management API request is recorded (the request inspector). */
  inspector: RequestInspector;
  /** More admin routes (the dashboard's), given a way to call the Management API on the emulator's own behalf. */
  adminExtensions?: (callApi: InternalApiCall) => Iterable<[string, AdminHandler]>;
}

/**
 * A Management API request made by the emulator itself (the dashboard's changes): through the same pipeline and
 * rules as any client's, with a token of every scope that never leaves the process, past the fault injection (a
 * fault is for the application under test, not for the page that shows it).
 */
export type InternalApiCall = (method: string, pathAndQuery: string, body?: unknown) => Promise<PlainReply>;

/** Answers one request; rejects with a `DroppedConnection` when a fault says to drop it (the transport closes the connection). */
export type EmulatorCore = (request: PlainRequest) => PlainReply | Promise<PlainReply>;

/**
 * A handler as the pipeline calls it, whatever its operation. The table's types (handlers/context.ts) hold because
 * the request was validated against the same spec they are generated from.
 */
type ValidatedContext = Omit<OperationContext, "params" | "query" | "body"> & {
  params: Record<string, string>;
  query: Readonly<Record<string, unknown>>;
  body: unknown;
};
type ValidatedHandler = (context: ValidatedContext) => Reply;

interface OperationRoute {
  compiled: CompiledOperation;
  handler: ValidatedHandler;
  /** The 403 message, built once. */
  insufficientScope: string;
  /** `METHOD /template`: how the rate limits name the operation. */
  key: string;
}

/** The query parameters a request without a query string sent. */
const NOTHING_SENT: ReadonlySet<string> = new Set();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Paths that faults apply to: the emulated APIs, never the admin API (so faults can always be cleared). */
const faultable = (path: string) => isApiPath(path) || path === TOKEN_PATH;

/** The query string as the spec's validators take it: one value as a string, repeated ones as an array. */
function parseQuery(query: string): Record<string, string | string[]> {
  // No prototype: `?__proto__=x` is then an ordinary (unknown) parameter, refused like any other.
  const record = Object.create(null) as Record<string, string | string[]>;
  if (query === "") return record;
  for (const [name, value] of new URLSearchParams(query)) {
    const previous = record[name];
    record[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return record;
}

/** An error thrown while answering, as a reply: Auth0's shape for an `ApiError`, a 500 (and a line on stderr) for anything else. */
function errorAsReply(error: unknown, headers?: Record<string, string>): PlainReply {
  if (error instanceof ApiError) return apiErrorReply(error, headers);
  if (error instanceof DroppedConnection) throw error;
  // Never a stack trace in a response; the cause goes to stderr for whoever runs the emulator.
  console.error(`auth0-emulator: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return errorReply(500, "Internal Server Error", undefined, headers);
}

/** Runs `answer`, turning what it throws (now or later) into an error reply; stays synchronous when `answer` is. */
function guarded(answer: () => PlainReply | Promise<PlainReply>, headers?: Record<string, string>): PlainReply | Promise<PlainReply> {
  try {
    const result = answer();
    return result instanceof Promise ? result.catch((error: unknown) => errorAsReply(error, headers)) : result;
  } catch (error) {
    return errorAsReply(error, headers);
  }
}

export function buildCore({ store, authority, limiter, faults, controls, findClient, access, inspector, adminExtensions }: CoreDependencies): EmulatorCore {
  const linkDefaults = linkDefaultsFromSpec();
  const router = new TemplateRouter<OperationRoute>(
    compiledOperations().map((compiled) => {
      const { operationId, method, pathTemplate } = compiled.operation;
      const handler = HANDLERS[operationId as OperationId] as unknown as ValidatedHandler | undefined;
      if (!handler) throw new Error(`The emulator has no handler for ${operationId} (${method.toUpperCase()} ${pathTemplate})`);
      const route: OperationRoute = {
        compiled,
        handler,
        insufficientScope: `Insufficient scope, expected any of: ${compiled.scopes.join(",")}`,
        key: `${method.toUpperCase()} ${pathTemplate}`,
      };
      return { method: method.toUpperCase(), template: pathTemplate, value: route };
    }),
  );
  const admin = adminRoutes(controls);
  if (adminExtensions) for (const [key, handler] of adminExtensions(callInternally)) admin.set(key, handler);
  const oauth = oauthEndpoints(authority, findClient, access.domain);

  /**
   * The handler and its reply, as one change: they succeed together or not at all. The context is built in one
   * object literal of a fixed shape (a spread of a smaller one made V8 build its shape anew on every request).
   */
  function answer(
    route: OperationRoute,
    params: Record<string, string>,
    query: Readonly<Record<string, unknown>>,
    sentQuery: ReadonlySet<string>,
    body: unknown,
    token: TokenClaims,
    rateHeaders: Record<string, string>,
  ): PlainReply {
    const context: ValidatedContext = {
      params,
      query,
      sentQuery,
      body,
      token,
      store,
      domain: authority.domain,
      linkDefaults,
      operation: route.compiled.operation,
    };
    return store.atomically(() => serializeReply(route.handler(context), rateHeaders));
  }

  /** Everything after the token: scope, path, query, body, then the handler. */
  function authorized(
    route: OperationRoute,
    params: Record<string, string>,
    request: PlainRequest,
    token: TokenClaims,
    rateHeaders: Record<string, string>,
    note: RequestNote,
  ): PlainReply | Promise<PlainReply> {
    const { compiled } = route;
    const allowedBy = compiled.scopes.length === 0 ? undefined : compiled.scopes.find((scope) => token.scopes.has(scope));
    if (compiled.scopes.length > 0 && allowedBy === undefined) throw insufficientScope(route.insufficientScope);
    note.scope = allowedBy;
    compiled.checkPath(params);
    const sent = request.query === "" ? undefined : parseQuery(request.query);
    const query = sent === undefined ? compiled.checkEmptyQuery() : compiled.checkQuery(sent);
    const sentQuery = sent === undefined ? NOTHING_SENT : new Set(Object.keys(sent));
    const { checkBody, checkAdditionalScopes } = compiled;
    if (!checkBody) return answer(route, params, query, sentQuery, undefined, token, rateHeaders);
    return request.readBody().then((text) => {
      const body = parseJsonBody(text, request.header("content-type"));
      checkBody(body);
      checkAdditionalScopes?.(body, token.scopes);
      return answer(route, params, query, sentQuery, body, token, rateHeaders);
    });
  }

  function serveApi(request: PlainRequest, note: RequestNote): PlainReply | Promise<PlainReply> {
    const method = request.method === "HEAD" ? "GET" : request.method;
    const match = router.match(method, request.path.slice(API_PREFIX.length));
    // Every bucket of the operation (the tenant's, its endpoint groups') draws first: a refused request is not carried out.
    const decision = limiter.take(match ? match.value.key : undefined, request.query);
    if (decision.buckets.length > 0) note.bucket = decision.buckets.join(", ");
    if (!decision.allowed) return tooManyRequestsReply(decision.headers);
    const rateHeaders = decision.headers;
    if (!match) {
      // Auth0's answer for a path it does not serve. A tool that reads this 404 as "no such thing" (and goes on to
      // create it, or skips a whole feature) can be diagnosed from the emulator's stderr.
      if (request.path.startsWith(`${API_PREFIX}/`)) console.error(`auth0-emulator: unserved operation ${request.method} ${request.path}`);
      return errorReply(404, "Not Found", undefined, rateHeaders);
    }
    note.operation = match.value.compiled.operation.operationId;
    try {
      const authorization = request.header("authorization");
      // A token seen before is found without awaiting anything (what nearly every request of a test run sends).
      const known = authority.knownClaims(authorization);
      const reply = known
        ? authorized(match.value, match.params, request, known, rateHeaders, note)
        : authority.authenticate(authorization).then((token) => authorized(match.value, match.params, request, token, rateHeaders, note));
      return reply instanceof Promise ? reply.catch((error: unknown) => errorAsReply(error, rateHeaders)) : reply;
    } catch (error) {
      return errorAsReply(error, rateHeaders);
    }
  }

  function route(request: PlainRequest, note: RequestNote): PlainReply | Promise<PlainReply> {
    const { path, method } = request;
    if (isApiPath(path)) return serveApi(request, note);
    if (path === "/oauth/token" && method === "POST") return guarded(() => oauth.token(request));
    if (path === "/.well-known/jwks.json" && (method === "GET" || method === "HEAD")) return guarded(() => oauth.jwks());
    if (isAdminPath(path)) return guarded(() => serveAdmin(admin, access, request) ?? errorReply(404, "Not Found"));
    return errorReply(404, "Not Found");
  }

  /** What fault rules are matched against: the request, and the spec's operation that serves it. */
  function faultTarget(request: PlainRequest): FaultTarget {
    if (!isApiPath(request.path)) return { method: request.method, path: request.path };
    const apiPath = request.path.slice(API_PREFIX.length);
    const operation = router.match(request.method === "HEAD" ? "GET" : request.method, apiPath)?.value.compiled.operation;
    return { method: request.method, path: request.path, apiPath, operationId: operation?.operationId, pathTemplate: operation?.pathTemplate };
  }

  /** The reply of a forced status: Auth0's error body, the rate-limit headers on the API, and when to come back. */
  function forcedReply(request: PlainRequest, code: number, retryAfter: number | undefined): PlainReply {
    let headers: Record<string, string> | undefined = isApiPath(request.path) ? limiter.headers(code === 429) : undefined;
    if (retryAfter !== undefined) {
      // The window the headers name ends when the client is told to come back, so that a client which waits for
      // `x-ratelimit-reset` (the official SDK does, after a 503 too) waits no longer than `Retry-After` says.
      const reset = String(Math.ceil(Date.now() / 1000 + retryAfter));
      headers = { ...headers, "retry-after": String(retryAfter), ...(headers ? { [RATE_LIMIT_HEADERS.reset]: reset } : {}) };
    }
    if (code === 429) return tooManyRequestsReply(headers ?? {});
    return errorReply(code, code === 503 ? "Service Unavailable" : "Internal Server Error", undefined, headers);
  }

  async function withFaults(request: PlainRequest, rule: FaultRule, note: RequestNote): Promise<PlainReply> {
    if (rule.latencyMs) await sleep(rule.latencyMs);
    const decision = faults.decide(rule);
    if (decision.kind === "drop") throw new DroppedConnection();
    if (decision.kind === "status") return forcedReply(request, decision.code, decision.retryAfter);
    return route(request, note);
  }

  function faulted(request: PlainRequest, note: RequestNote): PlainReply | Promise<PlainReply> {
    const rule = faults.ruleFor(faultTarget(request));
    return rule ? withFaults(request, rule, note) : route(request, note);
  }

  /** Records the answer of a Management API request in the inspector; a dropped connection is recorded as status 0. */
  function inspected(request: PlainRequest, note: RequestNote, reply: PlainReply | Promise<PlainReply>): PlainReply | Promise<PlainReply> {
    if (!(reply instanceof Promise)) {
      inspector.record(request.method, request.path, note, reply);
      return reply;
    }
    return reply.then(
      (answer) => {
        inspector.record(request.method, request.path, note, answer);
        return answer;
      },
      (error: unknown) => {
        if (error instanceof DroppedConnection) inspector.record(request.method, request.path, note, undefined);
        throw error;
      },
    );
  }

  let internalToken: Promise<string> | undefined;
  async function callInternally(method: string, pathAndQuery: string, body?: unknown): Promise<PlainReply> {
    internalToken ??= authority.issue({ clientId: "emulator-dashboard" });
    const authorization = `Bearer ${await internalToken}`;
    const question = pathAndQuery.indexOf("?");
    const request: PlainRequest = {
      method,
      path: `${API_PREFIX}${question < 0 ? pathAndQuery : pathAndQuery.slice(0, question)}`,
      query: question < 0 ? "" : pathAndQuery.slice(question + 1),
      header: (name) => (name === "authorization" ? authorization : name === "content-type" ? "application/json" : undefined),
      targetHostname: undefined,
      peer: null,
      readBody: () => Promise.resolve(body === undefined ? "" : JSON.stringify(body)),
    };
    const note = newNote("dashboard");
    return inspected(
      request,
      note,
      guarded(() => serveApi(request, note)),
    );
  }

  // Paths outside the Management API are not inspected; they share one note nothing writes to.
  const unrecorded = newNote("api");
  return (request) => {
    const note = isApiPath(request.path) ? newNote("api") : undefined;
    const reply = faults.active && faultable(request.path) ? faulted(request, note ?? unrecorded) : route(request, note ?? unrecorded);
    return note === undefined ? reply : inspected(request, note, reply);
  };
}
