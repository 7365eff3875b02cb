/**
 * The Authentication API endpoints a Management API client needs: `POST /oauth/token` (client-credentials grant,
 * JSON or form-encoded, client secret in the body or as HTTP Basic) and `GET /.well-known/jwks.json`. Errors use
 * the Authentication API's own shape (`{error, error_description}`), not the Management API's.
 */
import type { Env, Hono } from "hono";
import type { TokenAuthority } from "./auth.js";
import { MAX_PAYLOAD_BYTES } from "./body.js";
import { jsonResponse } from "./responses.js";

/** An application allowed to use the client-credentials grant. */
export interface OAuthClient {
  clientSecret: string;
  scopes: string[];
}

const TOKEN_LIFETIME_SECONDS = 86_400;

const oauthError = (status: number, error: string, description: string) => jsonResponse(status, { error, error_description: description });

async function readParameters(request: Request): Promise<Record<string, unknown> | undefined> {
  const text = await request.text();
  if (text.length > MAX_PAYLOAD_BYTES) return undefined;
  const contentType = request.headers.get("content-type") ?? "";
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === "") return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `Authorization: Basic base64(client_id:client_secret)`, the other way OAuth clients send credentials. */
function basicCredentials(header: string | null): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

export function mountOAuthRoutes<E extends Env>(app: Hono<E>, authority: TokenAuthority, findClient: (clientId: string) => OAuthClient | undefined): void {
  app.get("/.well-known/jwks.json", async () => jsonResponse(200, await authority.jwks()));

  app.post("/oauth/token", async (c) => {
    const params = await readParameters(c.req.raw);
    if (!params) return oauthError(400, "invalid_request", "The request body must be JSON or form-encoded parameters.");
    const basic = basicCredentials(c.req.header("authorization") ?? null);
    const clientId = typeof params.client_id === "string" ? params.client_id : basic?.id;
    const clientSecret = typeof params.client_secret === "string" ? params.client_secret : basic?.secret;

    if (params.grant_type !== "client_credentials") {
      const grant = typeof params.grant_type === "string" ? params.grant_type : "";
      return grant === ""
        ? oauthError(400, "invalid_request", "Missing required parameter: grant_type")
        : oauthError(403, "unauthorized_client", `Grant type '${grant}' not allowed for the client.`);
    }
    if (!clientId) return oauthError(401, "access_denied", "Unauthorized");
    const client = findClient(clientId);
    // Same answer for an unknown client and a wrong secret, so neither can be probed.
    if (!client || clientSecret !== client.clientSecret) return oauthError(401, "access_denied", "Unauthorized");

    const audience = typeof params.audience === "string" ? params.audience : authority.audience;
    if (audience !== authority.audience) return oauthError(403, "access_denied", `Service not enabled within domain: ${audience}`);

    const requested = typeof params.scope === "string" ? params.scope.split(" ").filter(Boolean) : undefined;
    const scopes = requested ? requested.filter((s) => client.scopes.includes(s)) : client.scopes;
    const accessToken = await authority.issue({ scopes, clientId, expiresIn: TOKEN_LIFETIME_SECONDS });
    return jsonResponse(200, { access_token: accessToken, token_type: "Bearer", expires_in: TOKEN_LIFETIME_SECONDS, scope: scopes.join(" ") });
  });
}
