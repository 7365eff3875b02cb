/**
 * `createManagementClient()`: an openapi-fetch client for the spec's `paths`, with the transport middleware
 * (authentication, retries), a deadline per exchange, safe path parameters, exact request bodies, the last
 * rate-limit figures, and `unwrap()` for callers who prefer exceptions to `{ data, error }`.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../../generated/schema.js";
import { errorFromAnswer, type ManagementApiError } from "./errors.js";
import { DEFAULT_TIMEOUT_MS, resolveBaseUrl, resolveTokenSource, type ManagementClientOptions } from "./options.js";
import { safePathSerializer } from "./path-params.js";
import { readRateLimit, type RateLimit } from "./rate-limit.js";
import { resolveRetryPolicy } from "./retry-policy.js";
import { SecretKeeper } from "./secrets.js";
import { createTimedFetch } from "./send.js";
import type { StrictClientMethod, StrictClientRequestMethod } from "./strict-types.js";
import { createTransportMiddleware } from "./transport.js";

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

export function createManagementClient(options: ManagementClientOptions): ManagementClient {
  if (typeof options !== "object" || options === null) throw new TypeError("createManagementClient() needs an options object.");
  const baseUrl = resolveBaseUrl(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`\`timeoutMs\` must be a positive number of ms, got ${String(options.timeoutMs)}.`);
  const policy = resolveRetryPolicy(options.retry);
  const fetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const send = createTimedFetch(fetch, timeoutMs);
  const secrets = new SecretKeeper();
  const { tokens, kind } = resolveTokenSource(options, baseUrl, send, secrets);
  const redact = (text: string) => secrets.redact(text);

  let lastRateLimit: RateLimit | undefined;
  // Which request each answer belongs to, for error messages (a rebuilt Response has no url of its own).
  const requestOf = new WeakMap<Response, { method: string; path: string }>();

  const base = createClient<paths>({ baseUrl, fetch: send, pathSerializer: safePathSerializer, ...(options.headers ? { headers: options.headers } : {}) });
  const transport = createTransportMiddleware({
    tokens,
    send,
    policy,
    onRetry: options.onRetry,
    onAnswer(request, response) {
      lastRateLimit = readRateLimit(response.headers) ?? lastRateLimit;
      requestOf.set(response, { method: request.method, path: new URL(request.url).pathname });
    },
  });
  base.use(transport);

  function errorOf(result: AnyResult): ManagementApiError {
    const { response } = result;
    const origin = requestOf.get(response) ?? { method: "UNKNOWN", path: response.url ? new URL(response.url).pathname : "" };
    return errorFromAnswer({ body: result.error, response, ...origin, redact });
  }

  const client: ManagementClient = {
    GET: base.GET as StrictClientMethod<"get">,
    POST: base.POST as StrictClientMethod<"post">,
    PATCH: base.PATCH as StrictClientMethod<"patch">,
    PUT: base.PUT as StrictClientMethod<"put">,
    DELETE: base.DELETE as StrictClientMethod<"delete">,
    HEAD: base.HEAD as StrictClientMethod<"head">,
    OPTIONS: base.OPTIONS as StrictClientMethod<"options">,
    TRACE: base.TRACE as StrictClientMethod<"trace">,
    request: base.request as StrictClientRequestMethod,
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
    use(...middleware) {
      // Keep the transport last: openapi-fetch runs onRequest in order and onResponse in reverse, so the caller's
      // middleware sees requests before the token is added (and a retry repeats its changes), and sees the
      // final answer after any retries.
      base.eject(transport);
      base.use(...middleware, transport);
    },
    eject: (...middleware) => base.eject(...middleware),
  };
  // What `console.log(client)` and JSON.stringify show: where it points and how it authenticates, never with what.
  const summary = () => ({ baseUrl, auth: kind, rateLimit: lastRateLimit });
  Object.defineProperty(client, INSPECT, { value: () => `ManagementClient ${JSON.stringify(summary())}`, enumerable: false });
  Object.defineProperty(client, "toJSON", { value: summary, enumerable: false });
  return client;
}
