/**
 * Management API tokens: RS256 JWTs signed by the emulator, checked like Auth0 checks them (signature, audience,
 * issuer, expiry) and answered with Auth0's exact messages. Verified tokens are cached until they expire, so a
 * busy test run pays for one signature check per token.
 */
import { randomUUID } from "node:crypto";
import type { JWK } from "jose";
import type { IssueTokenOptions } from "./types.js";
import { API_BASE_PATH } from "../../generated/spec-facts.js";
import { badAuthorizationHeader, invalidSignature, invalidToken } from "./errors.js";

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

/**
 * The parts of jose the emulator uses, imported when the key is first needed (a server can answer its first requests
 * without them), by their own entry points: about half of jose's modules, not all of them.
 */
async function importJose() {
  const [{ SignJWT }, { jwtVerify }, { exportJWK }, errors] = await Promise.all([
    import("jose/jwt/sign"),
    import("jose/jwt/verify"),
    import("jose/key/export"),
    import("jose/errors"),
  ]);
  return { SignJWT, jwtVerify, exportJWK, errors };
}
let joseParts: ReturnType<typeof importJose> | undefined;
const jose = () => (joseParts ??= importJose());

let sharedKeys: Promise<SigningKeys> | undefined;

/**
 * One RSA key pair per process: generating one costs 50–300 ms, and tests start many emulators. A token from one
 * emulator in the process is therefore accepted by another with the same domain. Emulators call this as they are
 * created, so the key is being generated (Web Crypto does it on libuv's thread pool) while the rest starts up.
 */
export function signingKeys(): Promise<SigningKeys> {
  sharedKeys ??= (async () => {
    // RS256 as Auth0 signs: RSASSA-PKCS1-v1_5 with SHA-256 and a 2048-bit modulus, the pair jose's
    // generateKeyPair("RS256") makes, asked of Web Crypto directly so that generating it need not wait for jose.
    const pair = crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
      true,
      ["sign", "verify"],
    );
    const [{ privateKey, publicKey }, { exportJWK }] = await Promise.all([pair, jose()]);
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
    return { kid, privateKey, publicKey, jwk };
  })();
  return sharedKeys;
}

export interface TokenClaims {
  scopes: Set<string>;
  clientId: string;
  /** Seconds since the epoch. */
  exp: number;
}

const MAX_CACHED_TOKENS = 10_000;
const DEFAULT_LIFETIME_SECONDS = 86_400;

export class TokenAuthority {
  readonly audience: string;
  readonly issuer: string;
  private readonly verified = new Map<string, TokenClaims>();
  /** The same claims by the whole `Authorization` header value they came in. */
  private readonly verifiedHeaders = new Map<string, TokenClaims>();
  private lastHeader: string | undefined;
  private lastClaims: TokenClaims | undefined;

  constructor(
    readonly domain: string,
    private readonly allScopes: string[],
  ) {
    this.audience = `https://${domain}${API_BASE_PATH}/`;
    this.issuer = `https://${domain}/`;
  }

  async issue(options: IssueTokenOptions = {}): Promise<string> {
    const [keys, { SignJWT }] = await Promise.all([signingKeys(), jose()]);
    const clientId = options.clientId ?? "emulator-client";
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn ?? DEFAULT_LIFETIME_SECONDS;
    return new SignJWT({ scope: (options.scopes ?? this.allScopes).join(" "), gty: "client-credentials", azp: clientId })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: keys.kid })
      .setIssuer(this.issuer)
      .setSubject(`${clientId}@clients`)
      .setAudience(options.audience ?? this.audience)
      .setIssuedAt(now)
      .setExpirationTime(typeof expiresIn === "number" ? now + expiresIn : expiresIn)
      .sign(keys.privateKey);
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [(await signingKeys()).jwk] };
  }

  /**
   * The claims of an `Authorization` header that carried a valid token before and has not expired since, found
   * without parsing or awaiting anything (what nearly every request of a test run sends); undefined otherwise.
   */
  knownClaims(header: string | undefined): TokenClaims | undefined {
    if (header === undefined) return undefined;
    // The header of the previous request first: comparing strings is far cheaper than hashing a long JWT for the map.
    const known = header === this.lastHeader ? this.lastClaims : this.verifiedHeaders.get(header);
    if (!known || known.exp <= Date.now() / 1000) return undefined;
    this.lastHeader = header;
    this.lastClaims = known;
    return known;
  }

  /** Checks an `Authorization` header value; throws Auth0's 400/401 when it does not carry a valid token. */
  async authenticate(header: string | undefined): Promise<TokenClaims> {
    const known = this.knownClaims(header);
    if (known) return known;
    if (header === undefined || header.trim() === "") throw invalidToken();
    const match = /^Bearer +([^\s]+)$/i.exec(header.trim());
    if (!match?.[1]) throw badAuthorizationHeader();
    const token = match[1];

    const nowSeconds = Date.now() / 1000;
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.exp > nowSeconds) return cached;
      this.verified.delete(token);
      throw invalidToken();
    }
    const claims = await this.verify(token);
    if (this.verified.size >= MAX_CACHED_TOKENS) this.verified.clear();
    if (this.verifiedHeaders.size >= MAX_CACHED_TOKENS) this.verifiedHeaders.clear();
    this.verified.set(token, claims);
    this.verifiedHeaders.set(header, claims);
    return claims;
  }

  private async verify(token: string): Promise<TokenClaims> {
    const [keys, { errors, jwtVerify }] = await Promise.all([signingKeys(), jose()]);
    try {
      const { payload } = await jwtVerify(token, keys.publicKey, {
        algorithms: ["RS256"],
        audience: this.audience,
        issuer: this.issuer,
        requiredClaims: ["exp"],
      });
      const scope = typeof payload.scope === "string" ? payload.scope : "";
      const clientId = typeof payload.azp === "string" ? payload.azp : String(payload.sub ?? "");
      return { scopes: new Set(scope.split(" ").filter(Boolean)), clientId, exp: payload.exp ?? 0 };
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) throw invalidSignature();
      throw invalidToken();
    }
  }
}
