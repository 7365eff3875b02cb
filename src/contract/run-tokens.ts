/**
 * Where every part of a contract run — Dredd's transactions (through the proxy), fixtures, probes and clean-up — gets
 * its bearer token, for as long as the run takes:
 * - with client credentials, from one source that fetches a token at the tenant's `/oauth/token`, renews it before it
 *   expires (the client's own cache: a minute before, or at half its life for short ones) and once more after a 401
 *   `Invalid token.`;
 * - with a static token (`AUTH0_TOKEN`), that token; its `exp` is read, so that the run can say when it expired
 *   rather than report 401s as broken contracts.
 * A request carries the token current when it is sent, not when it was prepared: a request that waited for the rate
 * limit does not go out with a token that lapsed while it waited.
 */
import { clientCredentialsTokenSource, type FetchFunction, SecretKeeper, type TokenSource } from "../client/index.js";
import { tokenClaims } from "./token-claims.js";

/** Auth0's message for a token it does not (or no longer does) accept. */
export const INVALID_TOKEN_MESSAGE = "Invalid token.";

export interface RunTokens {
  /** The token to send now. */
  current(): Promise<string>;
  /** The tenant rejected `token` with 401 `Invalid token.`: a fresh one, or undefined when none can be had. */
  renew(rejected: string): Promise<string | undefined>;
  /** Whether `token` came from this source (so a request carrying it may be given the current one instead). */
  issued(token: string): boolean;
  /** When a static token expires (its `exp`), epoch ms; undefined for renewable or unreadable tokens. */
  readonly expiresAt: number | undefined;
  readonly renewable: boolean;
}

/** When a JWT says it expires, epoch ms. */
export function tokenExpiry(token: string): number | undefined {
  const exp = tokenClaims(token)?.exp;
  return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
}

export function staticRunTokens(token: string): RunTokens {
  return {
    current: () => Promise.resolve(token),
    renew: () => Promise.resolve(undefined),
    issued: (candidate) => candidate === token,
    expiresAt: tokenExpiry(token),
    renewable: false,
  };
}

export interface RunCredentials {
  clientId: string;
  clientSecret: string;
  audience: string;
  tokenUrl: string;
}

/** Client credentials: one source, renewed before expiry and after a rejection; `onToken` hears of each new token (to redact it). */
export function clientCredentialsRunTokens(credentials: RunCredentials, send: FetchFunction, onToken: (token: string) => void): RunTokens {
  const source: TokenSource = clientCredentialsTokenSource(credentials, send, new SecretKeeper());
  const handedOut = new Set<string>();
  const hand = async () => {
    const token = await source.getToken();
    if (!handedOut.has(token)) {
      handedOut.add(token);
      onToken(token);
    }
    return token;
  };
  return {
    current: hand,
    async renew(rejected) {
      source.invalidate(rejected);
      return hand();
    },
    issued: (candidate) => handedOut.has(candidate),
    expiresAt: undefined,
    renewable: true,
  };
}

/** The bearer token of an `Authorization` header, if it is one. */
export function bearerOf(header: string | null | undefined): string | undefined {
  const match = /^Bearer (\S+)$/i.exec(header ?? "");
  return match?.[1];
}

/** Whether an answer is the tenant's 401 `Invalid token.` (read from a copy; the answer stays readable). */
export async function isInvalidTokenAnswer(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  try {
    return ((await response.clone().json()) as { message?: unknown }).message === INVALID_TOKEN_MESSAGE;
  } catch {
    return false;
  }
}
