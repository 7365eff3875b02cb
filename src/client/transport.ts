/**
 * The openapi-fetch middleware that makes every call authenticated and resilient. openapi-fetch sends the first
 * attempt itself; this middleware
 * - onRequest: keeps an untouched copy of the request (its body can be read only once, and a retry needs it)
 *   and adds the bearer token;
 * - onResponse / onError: decides whether the answer (or error) deserves another attempt — one token refresh
 *   after a 401 `Invalid token.`, rate limits, transient server and network errors — waits, and resends the
 *   copy until it gets an answer to hand back or runs out of retries.
 */
import type { Middleware } from "openapi-fetch";
import type { TokenSource } from "./auth.js";
import { planRetry, type RetryPolicy, type RetryReason } from "./retry-policy.js";
import type { FetchFunction } from "./send.js";

/** What the client reports before each retry (never a token or a body). */
export interface RetryEvent {
  method: string;
  /** The requested path, without origin or query. */
  path: string;
  /** How many times the request will have been repeated, this one included (1 for the first repeat). */
  retry: number;
  delayMs: number;
  reason: RetryReason | "token_refresh";
  /** The status that caused the retry, when there was an answer. */
  status?: number;
}

export interface TransportOptions {
  tokens: TokenSource;
  /** Sends one attempt (with the client's timeout). */
  send: FetchFunction;
  policy: RetryPolicy;
  /** Called with every answer received, retried or not. */
  onAnswer: (request: Request, response: Response) => void;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

interface Exchange {
  /** A copy of the request as openapi-fetch built it, before any attempt consumed its body. */
  pristine: Request;
  /** The token the latest attempt carried. */
  token: string;
  tokenRefreshed: boolean;
  /** Repeats counted against `maxRetries` (a token refresh is not one of them). */
  retries: number;
  /** Every repeat, token refreshes included. */
  repeats: number;
}

type Outcome = { response: Response } | { error: unknown };

// Auth0's message for a token it does not (or no longer does) accept; other 401s (bad signature, wrong
// tenant) will not be cured by a fresh token.
const INVALID_TOKEN_MESSAGE = "Invalid token.";

async function isInvalidToken(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  try {
    const body = (await response.clone().json()) as { message?: unknown };
    return body.message === INVALID_TOKEN_MESSAGE;
  } catch {
    return false;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export function createTransportMiddleware(options: TransportOptions): Middleware {
  const { tokens, send, policy, onAnswer, onRetry } = options;
  const exchanges = new Map<string, Exchange>();

  async function authorize(request: Request, exchange: Exchange): Promise<void> {
    exchange.token = await tokens.getToken();
    request.headers.set("authorization", `Bearer ${exchange.token}`);
  }

  async function resend(exchange: Exchange): Promise<Outcome> {
    const request = exchange.pristine.clone();
    // A failure to get a token is not a network error of this request: let it surface as it is.
    await authorize(request, exchange);
    try {
      return { response: await send(request) };
    } catch (error) {
      return { error };
    }
  }

  function report(exchange: Exchange, event: Omit<RetryEvent, "method" | "path" | "retry">): void {
    exchange.repeats += 1;
    onRetry?.({ method: exchange.pristine.method, path: new URL(exchange.pristine.url).pathname, retry: exchange.repeats, ...event });
  }

  /** Retries until an outcome is final; returns its answer or throws its error. */
  async function settle(exchange: Exchange, first: Outcome): Promise<Response> {
    let outcome = first;
    for (;;) {
      if ("response" in outcome) {
        onAnswer(exchange.pristine, outcome.response);
        if (tokens.canRefresh && !exchange.tokenRefreshed && (await isInvalidToken(outcome.response))) {
          exchange.tokenRefreshed = true;
          tokens.invalidate(exchange.token);
          report(exchange, { delayMs: 0, reason: "token_refresh", status: 401 });
          outcome = await resend(exchange);
          continue;
        }
      }
      // The caller gave up: hand back what there is rather than trying again.
      const plan = exchange.pristine.signal.aborted
        ? undefined
        : planRetry(policy, { method: exchange.pristine.method, retriesSoFar: exchange.retries, ...outcome });
      if (!plan) {
        if ("response" in outcome) return outcome.response;
        throw outcome.error;
      }
      exchange.retries += 1;
      report(exchange, {
        delayMs: Math.round(plan.delayMs),
        reason: plan.reason,
        ...("response" in outcome ? { status: outcome.response.status } : {}),
      });
      await sleep(plan.delayMs, exchange.pristine.signal);
      outcome = await resend(exchange);
    }
  }

  return {
    async onRequest({ request, id }) {
      const exchange: Exchange = { pristine: request.clone(), token: "", tokenRefreshed: false, retries: 0, repeats: 0 };
      await authorize(request, exchange);
      exchanges.set(id, exchange);
      return request;
    },
    async onResponse({ response, id }) {
      const exchange = exchanges.get(id);
      // Already settled in onError (openapi-fetch passes onError's answer through onResponse too).
      if (!exchange) return response;
      exchanges.delete(id);
      return settle(exchange, { response });
    },
    async onError({ error, id }) {
      const exchange = exchanges.get(id);
      if (!exchange) return error instanceof Error ? error : new Error(String(error));
      exchanges.delete(id);
      try {
        return await settle(exchange, { error });
      } catch (final) {
        return final instanceof Error ? final : new Error(String(final));
      }
    },
  };
}
