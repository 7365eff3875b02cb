/**
 * `createManagementClient()`: an openapi-fetch client for the spec's `paths`, whose every call goes through the
 * transport (authentication, retries, a deadline per attempt), with safe path parameters, exact request bodies,
 * the last rate-limit figures, and `unwrap()` for callers who prefer exceptions to `{ data, error }`.
 *
 * The request path, in reading order:
 * 1. options.ts `resolveClientOptions()`: every option checked and defaulted, once, at creation;
 * 2. here, `createManagementClient()`: wires the resolved settings into openapi-fetch and the transport; each
 *    method (`through`) hands openapi-fetch the transport as the call's own `fetch`;
 * 3. openapi-fetch builds the request (path-params.ts, exchange-request.ts) and runs the caller's middleware;
 * 4. transport.ts `Exchange`: the token (auth.ts; the token endpoint is called through send.ts
 *    `createBufferedFetch`), the rate budget (rate-budget.ts), each attempt under a deadline (deadlines.ts, the one
 *    deadline queue for API and token requests), retries (retry-policy.ts);
 * 5. back here: the answer as openapi-fetch's `{ data, error, response }`, and errors.ts for `unwrap()`/`errorOf()`.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../../generated/schema.js";
import { errorFromAnswer, type GivingUp, type ManagementApiError } from "./errors.js";
import { createTokenSource } from "./auth.js";
import { DeadlineQueue } from "./deadlines.js";
import { resolveClientOptions, type ManagementClientOptions } from "./options.js";
import { safePathSerializer } from "./path-params.js";
import { RateBudget } from "./rate-budget.js";
import type { RateLimit } from "./rate-limit.js";
import { SecretKeeper } from "./secrets.js";
import { ExchangeRequest } from "./exchange-request.js";
import { createBufferedFetch } from "./send.js";
import type { StrictClientMethod, StrictClientRequestMethod } from "./strict-types.js";
import { createTransport, type CallInit } from "./transport.js";

/** The answer shape of every client method (openapi-fetch's `FetchResponse`). */
interface AnyResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The success `data` of a client method's result type. */
export type SuccessData<Result> = Result extends { data: infer Data; error?: never } ? Data : never;

/**
 * openapi-fetch's client for the spec's paths (same methods, same `{ data, error, response }` answers, with
 * exact bodies), plus what a Management API caller needs around it.
 */
export interface ManagementClient {
  GET: StrictClientMethod<"get">;
  POST: StrictClientMethod<"post">;
  PATCH: StrictClientMethod<"patch">;
  PUT: StrictClientMethod<"put">;
  DELETE: StrictClientMethod<"delete">;
  HEAD: StrictClientMethod<"head">;
  OPTIONS: StrictClientMethod<"options">;
  TRACE: StrictClientMethod<"trace">;
  request: StrictClientRequestMethod;
  /**
   * Awaits a call and returns its data, or throws a `ManagementApiError` when the answer was not a success:
   * `const org = await client.unwrap(client.GET("/organizations/{id}", { params: { path: { id } } }));`
   */
  unwrap<Result extends AnyResult>(pending: Promise<Result> | Result): Promise<SuccessData<Result>>;
  /** The error for a failed result, for callers who branch on `{ data, error, response }` themselves. */
  errorOf(result: AnyResult): ManagementApiError;
  /**
   * The token the next request would carry (obtained or refreshed as needed), for calls outside this client.
   * Treat it as a secret.
   */
  getAccessToken(): Promise<string>;
  /** The rate-limit figures of the latest answer that carried them. */
  readonly rateLimit: RateLimit | undefined;
  /** The API base URL, e.g. `https://tenant.eu.auth0.com/api/v2`. */
  readonly baseUrl: string;
  /**
   * Adds openapi-fetch middleware. It runs outside the client's own: `onRequest` sees the request before the
   * token is added (and its changes are kept on retries), `onResponse` sees the final answer after any retries.
   */
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** An openapi-fetch method as the client calls it (the typed signatures are put back on the client's methods). */
type LooseMethod = (url: string, init?: CallInit & Record<string, unknown>) => Promise<AnyResult>;

export function createManagementClient(options: ManagementClientOptions): ManagementClient {
  const settings = resolveClientOptions(options);
  const { baseUrl } = settings;
  // One deadline queue for everything this client sends: API attempts (the transport) and token requests.
  const deadlines = new DeadlineQueue(settings.timeoutMs);
  const secrets = new SecretKeeper();
  // The token endpoint's exchanges are rare and small: they are read whole under their deadline.
  const tokens = createTokenSource(settings.auth, createBufferedFetch(settings.fetch, deadlines), secrets);
  const redact = (text: string) => secrets.redact(text);

  let lastRateLimit: RateLimit | undefined;
  // Which request each answer belongs to, for error messages (a Response built by a test double or a proxy
  // library has no url of its own). The URL is parsed only when an error is built.
  const requestOf = new WeakMap<Response, { method: string; url: string }>();
  // Answers handed back after the client stopped retrying, with how many attempts it made and why it stopped.
  const givingUpOf = new WeakMap<Response, GivingUp>();

  // openapi-fetch builds every request with ExchangeRequest, whose signal the transport can set per attempt.
  const base = createClient<paths>({
    baseUrl,
    Request: ExchangeRequest,
    pathSerializer: safePathSerializer,
    ...(settings.headers ? { headers: settings.headers } : {}),
  });
  const transport = createTransport({
    settings,
    tokens,
    deadlines,
    onAnswer(request, response, rateLimit) {
      lastRateLimit = rateLimit ?? lastRateLimit;
      requestOf.set(response, { method: request.method, url: request.url });
    },
    onGiveUp: (response, givingUp) => givingUpOf.set(response, givingUp),
    budget: settings.rateBudget ? new RateBudget() : undefined,
    redact,
  });

  /**
   * A client method: openapi-fetch's, sending through this call's transport (given as openapi-fetch's
   * per-request `fetch`, beneath all middleware), and failing when the deadline passes while the body is read.
   */
  const through =
    (method: LooseMethod, name: string): LooseMethod =>
    (url, init) =>
      // The path template (`/organizations/{id}`) names the operation, whose rate-limit buckets the call draws on.
      transport.run(init, (fetch) => method(url, { ...init, fetch }), `${name} ${url}`);
  const loose = base as unknown as Record<"GET" | "POST" | "PATCH" | "PUT" | "DELETE" | "HEAD" | "OPTIONS" | "TRACE", LooseMethod> & {
    request: (method: string, url: string, init?: CallInit & Record<string, unknown>) => Promise<AnyResult>;
  };

  function errorOf(result: AnyResult): ManagementApiError {
    const { response } = result;
    const origin = requestOf.get(response);
    const url = origin?.url ?? response.url;
    const path = url ? new URL(url).pathname : "";
    return errorFromAnswer({ body: result.error, response, method: origin?.method ?? "UNKNOWN", path, redact, givingUp: givingUpOf.get(response) });
  }

  const client: ManagementClient = {
    GET: through(loose.GET, "GET") as unknown as StrictClientMethod<"get">,
    POST: through(loose.POST, "POST") as unknown as StrictClientMethod<"post">,
    PATCH: through(loose.PATCH, "PATCH") as unknown as StrictClientMethod<"patch">,
    PUT: through(loose.PUT, "PUT") as unknown as StrictClientMethod<"put">,
    DELETE: through(loose.DELETE, "DELETE") as unknown as StrictClientMethod<"delete">,
    HEAD: through(loose.HEAD, "HEAD") as unknown as StrictClientMethod<"head">,
    OPTIONS: through(loose.OPTIONS, "OPTIONS") as unknown as StrictClientMethod<"options">,
    TRACE: through(loose.TRACE, "TRACE") as unknown as StrictClientMethod<"trace">,
    request: ((method: string, url: string, init?: CallInit & Record<string, unknown>) =>
      transport.run(init, (fetch) => loose.request(method, url, { ...init, fetch }), `${method.toUpperCase()} ${url}`)) as unknown as StrictClientRequestMethod,
    async unwrap<Result extends AnyResult>(pending: Promise<Result> | Result): Promise<SuccessData<Result>> {
      const result = await pending;
      if (result.response.ok) return result.data as SuccessData<Result>;
      throw errorOf(result);
    },
    errorOf,
    getAccessToken: () => tokens.getToken(),
    get rateLimit() {
      return lastRateLimit;
    },
    baseUrl,
    // The transport is the fetch beneath all middleware, so the caller's middleware sees requests before the token
    // is added (and a retry repeats its changes), and sees the final answer after any retries.
    use: (...middleware) => base.use(...middleware),
    eject: (...middleware) => base.eject(...middleware),
  };
  // What `console.log(client)` and JSON.stringify show: where it points and how it authenticates, never with what.
  const summary = () => ({ baseUrl, auth: settings.auth.kind, rateLimit: lastRateLimit });
  Object.defineProperty(client, INSPECT, { value: () => `ManagementClient ${JSON.stringify(summary())}`, enumerable: false });
  Object.defineProperty(client, "toJSON", { value: summary, enumerable: false });
  return client;
}
