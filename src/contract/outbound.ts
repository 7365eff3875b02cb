/**
 * Where a contract run may send requests, and how: without `--live` only to loopback (the project's one rule,
 * src/shared/loopback.ts), with `--live` only to the tenant's own domain. No redirect is ever followed — a redirect is an
 * error naming where it pointed — so a server cannot send the run (and its token) anywhere else.
 */
import type { FetchFunction } from "../client/index.js";
import { isLoopbackHostname } from "../shared/loopback.js";
import { ContractTargetError } from "./errors.js";
import { operationKey } from "./operation-key.js";
import { bearerOf, type RunTokens } from "./run-tokens.js";
import type { Pacer } from "./pacer.js";

/** Which hosts a run may talk to: loopback ones, or (with `--live`) exactly the tenant's domain. */
export interface Destination {
  live: boolean;
  /** With `live`: the tenant's domain. */
  tenantHost?: string;
}

export function checkDestination(url: URL, destination: Destination): void {
  const allowed = destination.live ? url.hostname.toLowerCase() === destination.tenantHost?.toLowerCase() : isLoopbackHostname(url.hostname);
  if (allowed) return;
  throw new ContractTargetError(
    destination.live
      ? `refusing to send a request to ${url.host}: a --live run only talks to ${destination.tenantHost}`
      : `refusing to send a request to ${url.host}: without --live a run only talks to loopback hosts`,
  );
}

/** Sends once, without following a redirect; a redirect becomes an error that names its target. */
export async function sendWithoutRedirects(request: Request, destination: Destination, signal?: AbortSignal): Promise<Response> {
  checkDestination(new URL(request.url), destination);
  const response = await fetch(request, { redirect: "manual", ...(signal ? { signal } : {}) });
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => {});
    const location = response.headers.get("location") ?? "(no Location header)";
    throw new ContractTargetError(
      `${request.method} ${new URL(request.url).pathname} was redirected (HTTP ${response.status}) to ${location}; a contract run follows no redirects`,
    );
  }
  return response;
}

/**
 * Gives a request that carries one of the run's tokens the token current now (it may have waited for the rate limit
 * while the one it was prepared with lapsed). Other authorizations (none, a tampered or a narrow token) stay.
 */
export async function withCurrentToken(headers: Headers, tokens: RunTokens | undefined): Promise<void> {
  const sent = bearerOf(headers.get("authorization"));
  if (!tokens || sent === undefined || !tokens.issued(sent)) return;
  headers.set("authorization", `Bearer ${await tokens.current()}`);
}

/**
 * The run's one way out, built once and handed on: confined to the destination, no redirects, each attempt given
 * `timeoutMs` on the wire (and the caller's signal, when it has one). Unpaced: the pacer wraps it (`pacedFetch`).
 */
export function confinedFetch(destination: Destination, timeoutMs: number): FetchFunction {
  return (request, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    return sendWithoutRedirects(request, destination, init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout);
  };
}

/**
 * The fetch of the run's own requests (fixtures, probes, clean-up): through the pacer, then `send`, with the token
 * current when each attempt goes (not when the request was prepared). The pacer's waits are not part of an attempt's time.
 */
export function pacedFetch(pacer: Pacer, send: FetchFunction, basePath: string, tokens?: RunTokens): FetchFunction {
  return (request, init) =>
    pacer.send({
      label: `${request.method} ${new URL(request.url).pathname}`,
      key: operationKey(request.method, new URL(request.url).pathname, basePath),
      // A fresh copy per attempt: a request answered 429 is sent again with the same body.
      send: async () => {
        const attempt = request.clone();
        await withCurrentToken(attempt.headers, tokens);
        return send(attempt, init);
      },
    });
}
