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
import type { ManagementAddress } from "../shared/management-address.js";
import { ContractTargetError, ContractUsageError } from "./errors.js";

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

/**
 * A JWT's payload, read without verifying it. The run only uses it to learn about its own tokens: when they expire,
 * which client they were issued to, and which scopes a narrow token holds (so a 403 is provoked only where it lacks the scope).
 */
export function tokenClaims(token: string): Record<string, unknown> | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as unknown;
    return typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // not a JWT
  }
}

/** The client id the token was issued to (`azp`, or `sub` of a client-credentials token). */
function tokenClientId(token: string): string | undefined {
  const claims = tokenClaims(token);
  if (typeof claims?.azp === "string") return claims.azp;
  if (typeof claims?.sub === "string" && claims.sub.endsWith("@clients")) return claims.sub.slice(0, -"@clients".length);
  return undefined;
}

/** The scopes a token holds (its `scope` claim), or undefined when it is not a JWT that says. */
function tokenScopes(token: string | undefined): Set<string> | undefined {
  const scope = token ? tokenClaims(token)?.scope : undefined;
  return typeof scope === "string" ? new Set(scope.split(" ").filter(Boolean)) : undefined;
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

/** Where a run's tokens come from, as its options settled it. */
export type TokenChoice =
  /** A token the user gave (`AUTH0_TOKEN`, `--token-file`), or the one any token Prism accepts. */
  | { kind: "token"; token: string }
  /** Client credentials, exchanged at the server's `/oauth/token` (for its audience, unless one is given). */
  | { kind: "client-credentials"; clientId: string; clientSecret: string; audience?: string }
  /** Minted by the emulator's admin API (every scope): the embedded emulator, or an emulator the user brought no credentials for. */
  | { kind: "minted" };

/** The part of an emulator's admin API that mints tokens. */
export interface TokenMint {
  mintToken(scopes?: string[]): Promise<string>;
}

/** Everything the run knows of its tokens once it has them. */
export interface RunTokenSet {
  /** Where every request gets its token, for as long as the run takes. */
  source: RunTokens;
  /** The token the run starts with (every scope it can have). */
  full: string;
  /** A token without the scopes, for the 403 checks: the user's, or one the emulator mints. */
  narrow?: string;
  /** The client the full token was issued to, when it says. */
  clientId?: string;
  /** The scopes the narrow token holds, when it says. */
  narrowScopes?: Set<string>;
}

export interface TokenContext {
  /** The server's address (its token URL and audience). */
  address: ManagementAddress;
  /** How the token request goes out: confined and unpaced (the token endpoint is the Authentication API, limited apart). */
  send: FetchFunction;
  /** The emulator's admin API, when the server is one. */
  mint?: TokenMint;
  /** Told of every token the run obtains (so that logs and reports can redact it). */
  onToken?: (token: string) => void;
}

const EXPIRED_HINT = "give a fresh one, or client credentials (AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET), which the run renews for as long as it takes";

/** The message of a static token that has expired. */
export const expiredTokenMessage = (expiresAt: number) => `the token expired at ${new Date(expiresAt).toISOString()}; ${EXPIRED_HINT}`;

/**
 * The run's tokens: a static one (refused at once when it has expired already), client credentials (the first token
 * fetched now, so that a bad credential stops the run before anything is sent), or tokens the emulator mints. The
 * narrow token is the user's, else one the emulator mints without scopes.
 */
export async function obtainRunTokens(choice: TokenChoice, narrowToken: string | undefined, context: TokenContext): Promise<RunTokenSet> {
  const { source, full } = await fullTokens(choice, context);
  const narrow = narrowToken ?? (await context.mint?.mintToken([]));
  if (narrow !== undefined && narrow !== narrowToken) context.onToken?.(narrow);
  return { source, full, narrow, clientId: tokenClientId(full), narrowScopes: tokenScopes(narrow) };
}

async function fullTokens(choice: TokenChoice, context: TokenContext): Promise<{ source: RunTokens; full: string }> {
  if (choice.kind === "token") {
    const expiresAt = tokenExpiry(choice.token);
    if (expiresAt !== undefined && expiresAt <= Date.now()) throw new ContractTargetError(expiredTokenMessage(expiresAt));
    return { source: staticRunTokens(choice.token), full: choice.token };
  }
  if (choice.kind === "minted") {
    if (!context.mint) {
      throw new ContractUsageError(
        "--base-url needs a token: set AUTH0_TOKEN (or use --token-file FILE, or --token - to read it from stdin), or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET",
      );
    }
    const minted = await context.mint.mintToken();
    context.onToken?.(minted);
    return { source: staticRunTokens(minted), full: minted };
  }
  const { tokenUrl } = context.address;
  const credentials = { clientId: choice.clientId, clientSecret: choice.clientSecret, audience: choice.audience ?? context.address.audience, tokenUrl };
  const source = clientCredentialsRunTokens(credentials, context.send, (token) => context.onToken?.(token));
  try {
    return { source, full: await source.current() };
  } catch (error) {
    throw new ContractTargetError(`could not get a token from ${tokenUrl}: ${(error as Error).message}`);
  }
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
