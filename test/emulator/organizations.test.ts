/** `/organizations` and `/organizations/{id}` on the emulator. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auth0Error, type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
beforeEach(async () => {
  t = await testEmulator();
});
afterEach(() => t.expectNoViolations());

describe("POST /organizations", () => {
  it("creates an organization and echoes the fields sent, plus an Auth0-looking id and today's third_party_client_access default", async () => {
    const created = await t.call("POST", "/organizations", { body: { name: "acme", display_name: "Acme" } });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(["display_name", "id", "name", "third_party_client_access"]);
    expect(created.body.id).toMatch(/^org_[A-Za-z0-9]{16}$/);
    expect(created.body.third_party_client_access).toBe("block");

    const bare = await t.call("POST", "/organizations", { body: { name: "bare", third_party_client_access: "allow" } });
    expect(bare.body).toEqual({ id: bare.body.id, name: "bare", third_party_client_access: "allow" });
  });

  it("keeps branding and metadata", async () => {
    const body = { name: "branded", branding: { logo_url: "https://example.com/logo.gif" }, metadata: { tier: "gold" } };
    const created = await t.call("POST", "/organizations", { body });
    expect(created.body).toMatchObject(body);
    const read = await t.call("GET", `/organizations/${created.body.id}`);
    expect(read.body).toEqual(created.body);
  });

  it("answers 409 for a name already taken, and creates nothing", async () => {
    await t.call("POST", "/organizations", { body: { name: "acme" } });
    const again = await t.call("POST", "/organizations", { body: { name: "acme" } });
    expect(again.status).toBe(409);
    expect(t.emulator.state.snapshot().organizations).toHaveLength(1);
  });

  it("rejects an invalid body with invalid_body", async () => {
    const missing = await t.call("POST", "/organizations", { body: { display_name: "No name" } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual(auth0Error(400, "Bad Request", "Payload validation error: 'Missing required property: name'.", "invalid_body"));
    const tooLong = await t.call("POST", "/organizations", { body: { name: "x".repeat(51) } });
    expect(tooLong.body.message).toMatch(/^Payload validation error: 'String is too long \(51 chars\), maximum 50' on property name/);
    expect(t.emulator.state.snapshot().organizations).toHaveLength(0);
  });
});

describe("GET /organizations/{id}", () => {
  it("answers 404 with Auth0's message for an unknown id", async () => {
    const res = await t.call("GET", "/organizations/org_doesnotexist0000");
    expect(res.status).toBe(404);
    expect(res.body).toEqual(auth0Error(404, "Not Found", "No organization found by that id or name"));
  });

  it("answers 400 invalid_uri for an id over 50 characters", async () => {
    const res = await t.call("GET", `/organizations/${"o".repeat(51)}`);
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe("invalid_uri");
    expect(res.body.message).toMatch(/^Path validation error: 'String is too long \(51 chars\), maximum 50' on property id/);
  });
});

describe("DELETE /organizations/{id}", () => {
  it("deletes the organization and its links but keeps the connections; a second delete answers 404 as recorded", async () => {
    const org = (await t.call("POST", "/organizations", { body: { name: "acme" } })).body.id;
    const con = (await t.call("POST", "/connections", { body: { name: "db", strategy: "auth0" } })).body.id;
    await t.call("POST", `/organizations/${org}/connections`, { body: { connection_id: con } });

    const first = await t.call("DELETE", `/organizations/${org}`);
    expect(first.status).toBe(204);
    expect(first.text).toBe("");
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    const again = await t.call("DELETE", `/organizations/${org}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual(auth0Error(404, "Not Found", "No organization found by that id or name"));

    expect((await t.call("GET", `/organizations/${org}`)).status).toBe(404);
    expect((await t.call("GET", `/connections/${con}`)).status).toBe(200);
    expect(t.emulator.state.snapshot().links).toEqual([]);
  });
});
