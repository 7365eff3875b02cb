/** The token checks, answered exactly as Auth0 answers them, and `POST /oauth/token` / JWKS. */
import { createLocalJWKSet, generateKeyPair, type JSONWebKeySet, jwtVerify, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listOperations } from "../../src/shared/spec.js";
import { auth0Error, type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
beforeEach(async () => {
  t = await testEmulator({ clients: [{ clientId: "m2m-app", clientSecret: "s3cret-value", scopes: ["read:organizations", "create:organizations"] }] });
});
afterEach(() => t.expectNoViolations());

const INVALID_TOKEN = auth0Error(401, "Unauthorized", "Invalid token.");

describe("the auth matrix", () => {
  it("no Authorization header → 401 Invalid token.", async () => {
    const res = await t.call("GET", "/organizations/org_x", { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(INVALID_TOKEN);
  });

  it("a malformed header → 400 Bad HTTP authentication header format", async () => {
    for (const authorization of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "token abc"]) {
      const res = await t.call("GET", "/organizations/org_x", { headers: { authorization } });
      expect(res.status, authorization).toBe(400);
      expect(res.body).toEqual(auth0Error(400, "Bad Request", "Bad HTTP authentication header format", "Bearer"));
    }
  });

  it("a token that is not a JWT → 401 Invalid token.", async () => {
    expect((await t.call("GET", "/organizations/org_x", { token: "not-a-jwt" })).body).toEqual(INVALID_TOKEN);
  });

  it("a token signed with another key → 401 Invalid signature", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ scope: "read:organizations" })
      .setProtectedHeader({ alg: "RS256" })
      .setAudience(t.emulator.audience)
      .setIssuer(`https://${t.emulator.domain}/`)
      .setExpirationTime("1h")
      .sign(privateKey);
    const res = await t.call("GET", "/organizations/org_x", { token: forged });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(auth0Error(401, "Unauthorized", "Invalid signature received for JSON Web Token validation."));
  });

  it("an expired token → 401 Invalid token.", async () => {
    const expired = await t.emulator.issueToken({ expiresIn: -10 });
    expect((await t.call("GET", "/organizations/org_x", { token: expired })).body).toEqual(INVALID_TOKEN);
  });

  it("a token for another audience → 401 Invalid token.", async () => {
    const other = await t.emulator.issueToken({ audience: "https://other.example/api/v2/" });
    expect((await t.call("GET", "/organizations/org_x", { token: other })).body).toEqual(INVALID_TOKEN);
  });

  it("a token without the operation's scope → 403 naming the scope the spec lists", async () => {
    const token = await t.emulator.issueToken({ scopes: ["read:connections"] });
    for (const op of listOperations()) {
      if (op.scopes.includes("read:connections")) continue;
      const path = op.pathTemplate.replace(/\{[^}]+\}/g, "x1");
      const res = await t.call(op.method.toUpperCase(), path, { token });
      expect(res.status, `${op.method} ${op.pathTemplate}`).toBe(403);
      expect(res.body).toEqual(auth0Error(403, "Forbidden", `Insufficient scope, expected any of: ${op.scopes.join(",")}`, "insufficient_scope"));
    }
  });

  it("a token expiring while cached is refused once it expires", async () => {
    // `exp` is in whole seconds, so a token of 1 s may have only milliseconds left when it is issued: give it 3 s,
    // use it (and so cache it) at once, then wait until just past the `exp` it carries.
    const shortLived = await t.emulator.issueToken({ expiresIn: 3 });
    expect((await t.call("GET", "/organizations/org_x", { token: shortLived })).status).toBe(404);
    const { exp } = JSON.parse(Buffer.from(shortLived.split(".")[1]!, "base64url").toString()) as { exp: number };
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 50));
    expect((await t.call("GET", "/organizations/org_x", { token: shortLived })).status).toBe(401);
  });
});

describe("POST /oauth/token and JWKS", () => {
  const tokenRequest = (body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
    t.emulator.fetch(
      new Request("http://emulator.test/oauth/token", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }),
    );

  it("issues a token in Auth0's shape that the Management API accepts, with the client's scopes", async () => {
    const res = await tokenRequest({ grant_type: "client_credentials", client_id: "m2m-app", client_secret: "s3cret-value", audience: t.emulator.audience });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 86400, scope: "read:organizations create:organizations" });
    const created = await t.call("POST", "/organizations", { token: body.access_token as string, body: { name: "via-oauth" } });
    expect(created.status).toBe(201);
    expect((await t.call("DELETE", `/organizations/${created.body.id}`, { token: body.access_token as string })).status).toBe(403);
  });

  it("accepts form-encoded requests, Basic credentials and a narrower scope", async () => {
    const form = new URLSearchParams({ grant_type: "client_credentials", scope: "read:organizations" }).toString();
    const res = await tokenRequest(form, {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from("m2m-app:s3cret-value").toString("base64")}`,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { scope: string }).scope).toBe("read:organizations");
  });

  it("refuses a wrong secret, an unknown client, another audience and another grant — without echoing secrets", async () => {
    const wrong = await tokenRequest({ grant_type: "client_credentials", client_id: "m2m-app", client_secret: "guess" });
    expect(wrong.status).toBe(401);
    const wrongText = await wrong.text();
    expect(JSON.parse(wrongText)).toEqual({ error: "access_denied", error_description: "Unauthorized" });
    expect(wrongText).not.toContain("guess");
    expect((await tokenRequest({ grant_type: "client_credentials", client_id: "nobody", client_secret: "x" })).status).toBe(401);
    expect(
      (await tokenRequest({ grant_type: "client_credentials", client_id: "m2m-app", client_secret: "s3cret-value", audience: "https://elsewhere/" })).status,
    ).toBe(403);
    expect((await tokenRequest({ grant_type: "password", client_id: "m2m-app" })).status).toBe(403);
    expect((await tokenRequest("{not json")).status).toBe(400);
  });

  it("publishes the signing key, which verifies issued tokens", async () => {
    const res = await t.emulator.fetch(new Request("http://emulator.test/.well-known/jwks.json"));
    expect(res.status).toBe(200);
    const jwks = createLocalJWKSet((await res.json()) as JSONWebKeySet);
    const token = await t.emulator.issueToken({ scopes: ["read:organizations"] });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { audience: t.emulator.audience });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({ scope: "read:organizations", iss: `https://${t.emulator.domain}/` });
  });
});
