/**
 * The Authentication API endpoints a Management API client needs: `POST /oauth/token` (client-credentials grant,
 * JSON or form-encoded, client secret in the body or as HTTP Basic) and `GET /.well-known/jwks.json`. Errors use
 * the Authentication API's own shape (`{error, error_description}`), not the Management API's.
 *
 * Applications from the seed (whose secrets sit in shared files such as examples/seed.json) get tokens only for
 * callers from this machine by the admin API's rules (loopback peer, loopback Host, no foreign Origin); anyone
 * else is answered as for a wrong secret. Applications given in `options.clients` get tokens from anywhere.
 */
import { isLocalCaller } from "./access.js";
import type { TokenAuthority } from "./auth.js";
import { assertJsonDepth, MAX_PAYLOAD_BYTES } from "./body.js";
import type { PlainReply, PlainRequest } from "./plain.js";
import { jsonReply } from "./responses.js";
import { API_PREFIX } from "./spec-facts.js";
import { ApiError } from "./errors.js";

/** An application allowed to use the client-credentials grant. */
export interface OAuthClient {
  clientSecret: string;
  scopes: string[];
  /** Its secret came from the seed: honoured for local callers only. */
  seeded?: boolean;
}

const TOKEN_LIFETIME_SECONDS = 86_400;

const oauthError = (status: number, error: string, description: string) => jsonReply(status, { error, error_description: description });

const BAD_BODY = "The request body must be JSON or form-encoded parameters.";

/** The parameters, or the description of what is wrong with the body. Reading stops at the 1 MB limit. */
async function readParameters(request: PlainRequest): Promise<Record<string, unknown> | string> {
  let text: string;
  try {
    text = await request.readBody();
  } catch (error) {
    if (error instanceof ApiError) return `The request body is larger than ${MAX_PAYLOAD_BYTES} bytes.`;
    throw error;
  }
  const contentType = request.header("content-type") ?? "";
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === "") return {};
  try {
    assertJsonDepth(text);
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : BAD_BODY;
  } catch {
    return BAD_BODY;
  }
}

/** Percent-decoding that answers undefined for a malformed escape (`%`, `%zz`) instead of throwing. */
function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * `Authorization: Basic base64(client_id:client_secret)`, the other way OAuth clients send credentials (each part
 * form-encoded, RFC 6749 §2.3.1). `"malformed"` when a part does not decode: refused like wrong credentials.
 */
function basicCredentials(header: string | undefined): { id: string; secret: string } | "malformed" | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const id = percentDecoded(decoded.slice(0, colon));
  const secret = percentDecoded(decoded.slice(colon + 1));
  return id === undefined || secret === undefined ? "malformed" : { id, secret };
}

/** Auth0's answer to client credentials it does not accept (as users report it, e.g. auth0/node-auth0#682). */
const unauthorized = () => oauthError(401, "access_denied", "Unauthorized");

/**
 * The Management API's address as this request reached it (`http://127.0.0.1:8787/api/v2/`): accepted as an alias
 * of the domain's audience, since a client given the emulator's base URL derives its audience from it.
 */
function addressAudience(request: PlainRequest): string | undefined {
  const host = request.header("host")?.trim();
  return host ? `http://${host}${request.mountPath ?? ""}${API_PREFIX}/` : undefined;
}

/** Audiences compared as Auth0 users write them: with or without the trailing slash. */
const sameAudience = (sent: string, expected: string | undefined) => expected !== undefined && sent.replace(/\/?$/, "/") === expected;

export interface OAuthEndpoints {
  /** `GET /.well-known/jwks.json` */
  jwks(): Promise<PlainReply>;
  /** `POST /oauth/token` */
  token(request: PlainRequest): Promise<PlainReply>;
}

export function oauthEndpoints(authority: TokenAuthority, findClient: (clientId: string) => OAuthClient | undefined, domain: string): OAuthEndpoints {
  return {
    jwks: async () => jsonReply(200, await authority.jwks()),
    async token(request) {
      const params = await readParameters(request);
      if (typeof params === "string") return oauthError(400, "invalid_request", params);
      const parsedBasic = basicCredentials(request.header("authorization"));
      // A malformed escape is bad client credentials, answered as Auth0 answers a wrong secret.
      if (parsedBasic === "malformed") return unauthorized();
      const basic = parsedBasic;
      const clientId = typeof params.client_id === "string" ? params.client_id : basic?.id;
      const clientSecret = typeof params.client_secret === "string" ? params.client_secret : basic?.secret;

      if (params.grant_type !== "client_credentials") {
        const grant = typeof params.grant_type === "string" ? params.grant_type : "";
        return grant === ""
          ? oauthError(400, "invalid_request", "Missing required parameter: grant_type")
          : oauthError(403, "unauthorized_client", `Grant type '${grant}' not allowed for the client.`);
      }
      if (!clientId) return unauthorized();
      const client = findClient(clientId);
      // Same answer for an unknown client, a wrong secret and a seeded client asked for from elsewhere, so none can be probed.
      if (!client || clientSecret !== client.clientSecret) return unauthorized();
      if (client.seeded && !isLocalCaller(request, domain)) return unauthorized();

      const audience = typeof params.audience === "string" ? params.audience : authority.audience;
      const alias = addressAudience(request);
      if (audience !== authority.audience && !sameAudience(audience, alias)) {
        const hint = ` (this emulator's audience is ${authority.audience}${alias ? `, or ${alias}` : ""})`;
        return oauthError(403, "access_denied", `Service not enabled within domain: ${audience}${hint}`);
      }

      const requested = typeof params.scope === "string" ? params.scope.split(" ").filter(Boolean) : undefined;
      const scopes = requested ? requested.filter((scope) => client.scopes.includes(scope)) : client.scopes;
      const accessToken = await authority.issue({ scopes, clientId, expiresIn: TOKEN_LIFETIME_SECONDS });
      return jsonReply(200, { access_token: accessToken, token_type: "Bearer", expires_in: TOKEN_LIFETIME_SECONDS, scope: scopes.join(" ") });
    },
  };
}
