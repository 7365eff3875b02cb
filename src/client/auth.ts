/**
 * Where the client's bearer tokens come from: a fixed token, the caller's own function, or Auth0's
 * client-credentials grant. The last one caches its token until shortly before it expires and lets every
 * concurrent caller share one refresh.
 */
import { errorFromAnswer, ManagementNetworkError, readErrorBody } from "./errors.js";
import { refuseControlCharacters } from "./secrets.js";
import type { SecretKeeper } from "./secrets.js";
import type { FetchFunction } from "./send.js";

/** A function handing out tokens; `forceRefresh` is true after the service rejected the previous one. */
export type TokenFunction = (context: { forceRefresh: boolean }) => string | Promise<string>;

export interface TokenSource {
  /** Whether asking again may give a different token, which makes a 401 `Invalid token.` worth one retry. */
  readonly canRefresh: boolean;
  getToken(): Promise<string>;
  /** The service rejected `token`: the next `getToken()` must not hand it out again. */
  invalidate(token: string): void;
}

function checkToken(token: unknown, origin: string): string {
  if (typeof token !== "string" || token.trim() === "") throw new TypeError(`${origin} gave no token (expected a non-empty string).`);
  return refuseControlCharacters(token, `The token ${origin.replace(/^The /, "the ")} gave`);
}

export function staticTokenSource(token: string): TokenSource {
  const checked = checkToken(token, "The `token` option");
  return { canRefresh: false, getToken: () => Promise.resolve(checked), invalidate: () => {} };
}

export function functionTokenSource(getToken: TokenFunction, secrets: SecretKeeper): TokenSource {
  let forceRefresh = false;
  return {
    canRefresh: true,
    async getToken() {
      const context = { forceRefresh };
      forceRefresh = false;
      const token = checkToken(await getToken(context), "The `token` function");
      secrets.rememberToken(token);
      return token;
    },
    invalidate() {
      forceRefresh = true;
    },
  };
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  audience: string;
  tokenUrl: string;
}

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is no longer handed out. */
  refreshAt: number;
}

// Refresh this long before the token expires (or at half its life for short-lived tokens), so a token is never
// sent when it is about to lapse mid-flight.
const REFRESH_MARGIN_MS = 60_000;

/** Reads `{ access_token, expires_in }` from the token endpoint's answer. */
function parseTokenAnswer(body: unknown): { accessToken: string; expiresInMs: number | undefined } {
  const value = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof value.access_token !== "string" || value.access_token === "") {
    throw new Error("The token endpoint answered without an access_token.");
  }
  refuseControlCharacters(value.access_token, "The access_token the token endpoint answered");
  const expiresIn = value.expires_in;
  return {
    accessToken: value.access_token,
    expiresInMs: typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : undefined,
  };
}

export function clientCredentialsTokenSource(credentials: ClientCredentials, send: FetchFunction, secrets: SecretKeeper): TokenSource {
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;
  const tokenPath = new URL(credentials.tokenUrl).pathname;

  async function requestToken(): Promise<string> {
    const requestedAt = Date.now();
    const request = new Request(credentials.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        audience: credentials.audience,
      }),
      // Never follow a redirect: fetch drops the headers on a cross-origin redirect, but re-sends the body, and the
      // body holds the client secret.
      redirect: "manual",
    });
    let response: Response;
    try {
      response = await send(request);
    } catch (error) {
      if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) throw error;
      throw new ManagementNetworkError({ method: "POST", url: credentials.tokenUrl, cause: error, attempts: 1, redact: (text) => secrets.redact(text) });
    }
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(
        `The token endpoint ${credentials.tokenUrl} answered ${response.status || "a redirect"}; the client does not follow redirects on the token request (the client secret would go along). Set \`tokenUrl\` to the endpoint itself.`,
      );
    }
    const body = await readErrorBody(response);
    if (!response.ok) {
      throw errorFromAnswer({ body, response, method: "POST", path: tokenPath, redact: (text) => secrets.redact(text) });
    }
    const { accessToken, expiresInMs } = parseTokenAnswer(body);
    secrets.rememberToken(accessToken);
    // Counted from when the request left, so time spent waiting for the answer is not counted as validity.
    // Without expires_in the token is kept until the service rejects it.
    const margin = expiresInMs === undefined ? 0 : Math.min(REFRESH_MARGIN_MS, expiresInMs / 2);
    cached = { token: accessToken, refreshAt: expiresInMs === undefined ? Infinity : requestedAt + expiresInMs - margin };
    return accessToken;
  }

  return {
    canRefresh: true,
    getToken() {
      if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
      // One refresh at a time: everyone who asks while it runs waits for the same answer.
      inFlight ??= requestToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token) {
      // Only drop the cache if it still holds the rejected token: concurrent 401s must not trigger extra refreshes.
      if (cached?.token === token) cached = undefined;
    },
  };
}

/** How the client gets its tokens, checked: a fixed token, the caller's function, or client credentials. */
export type ResolvedAuth =
  { kind: "token"; token: string } | { kind: "token function"; token: TokenFunction } | { kind: "client credentials"; credentials: ClientCredentials };

/**
 * The token source for a client's checked `auth` setting. The secrets it is given (a fixed token, the client secret)
 * are remembered at once, so that no message the client writes can carry them; `send` is the deadline-bound
 * exchange the token endpoint is called through.
 */
export function createTokenSource(auth: ResolvedAuth, send: FetchFunction, secrets: SecretKeeper): TokenSource {
  switch (auth.kind) {
    case "token":
      secrets.rememberLasting(auth.token);
      return staticTokenSource(auth.token);
    case "token function":
      return functionTokenSource(auth.token, secrets);
    case "client credentials":
      secrets.rememberLasting(auth.credentials.clientSecret);
      return clientCredentialsTokenSource(auth.credentials, send, secrets);
  }
}
