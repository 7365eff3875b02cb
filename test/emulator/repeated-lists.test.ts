/**
 * A list asked for again answers what the tenant holds now: every change between two identical requests must show,
 * whichever way it was made, and each body must carry its own length. (Guards any cache a faster hot path might add;
 * the emulator keeps none today — caching the last page served only flattered the benchmark's repeated request.)
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { type TestEmulator, testEmulator } from "./helpers.js";

const ORG = "org_repeated000000001";
const OTHER_ORG = "org_repeated000000002";
const seed = {
  organizations: [
    { id: ORG, name: "acme" },
    { id: OTHER_ORG, name: "globex" },
  ],
  connections: [
    { id: "con_repeated00000001", name: "acme-db", strategy: "auth0" },
    { id: "con_repeated00000002", name: "acme-okta", strategy: "okta", options: { domain: "acme.okta.com" } },
  ],
  links: [
    { organization_id: ORG, connection_id: "con_repeated00000001" },
    { organization_id: ORG, connection_id: "con_repeated00000002", is_enabled: false },
    { organization_id: OTHER_ORG, connection_id: "con_repeated00000001" },
  ],
};
const names = (items: Array<{ connection: { name: string } }>) => items.map((item) => item.connection.name);

describe("a list asked for twice, in-process", () => {
  let t: TestEmulator;
  const list = (query?: Record<string, string | number | boolean>, org = ORG) => t.call("GET", `/organizations/${org}/connections`, { query });
  beforeEach(async () => {
    t = await testEmulator({ seed });
  });
  afterEach(() => t.expectNoViolations());

  it("shows a link changed, added or removed in between", async () => {
    expect((await list()).body.map((link: { is_enabled: boolean }) => link.is_enabled)).toEqual([true, false]);
    await t.call("PATCH", `/organizations/${ORG}/connections/con_repeated00000002`, { body: { is_enabled: true } });
    expect((await list()).body.map((link: { is_enabled: boolean }) => link.is_enabled)).toEqual([true, true]);
    await t.call("DELETE", `/organizations/${ORG}/connections/con_repeated00000001`);
    expect(names((await list()).body)).toEqual(["acme-okta"]);
    await t.call("POST", `/organizations/${ORG}/connections`, { body: { connection_id: "con_repeated00000001" } });
    expect(names((await list()).body)).toEqual(["acme-okta", "acme-db"]);
  });

  it("shows a connection replaced in between, though the links stayed as they were", async () => {
    expect(names((await list()).body)).toEqual(["acme-db", "acme-okta"]);
    t.emulator.state.seed({ connections: [{ id: "con_repeated00000001", name: "acme-users", strategy: "auth0" }] });
    expect(names((await list()).body)).toEqual(["acme-users", "acme-okta"]);
  });

  it("answers each organization, page, filter and family with its own items", async () => {
    expect(names((await list()).body)).toEqual(["acme-db", "acme-okta"]);
    expect(names((await list(undefined, OTHER_ORG)).body)).toEqual(["acme-db"]);
    expect(names((await list({ is_enabled: false })).body)).toEqual(["acme-okta"]);
    expect(names((await list({ is_enabled: true })).body)).toEqual(["acme-db"]);
    expect(names((await list({ per_page: 1, page: 1 })).body)).toEqual(["acme-okta"]);
    expect((await list({ per_page: 1, page: 1, include_totals: true })).body).toMatchObject({ start: 1, limit: 1, total: 2 });
    const older = await t.call("GET", `/organizations/${ORG}/enabled_connections`);
    expect(older.body[0]).not.toHaveProperty("is_enabled");
    expect(names(older.body)).toEqual(["acme-db", "acme-okta"]);
  });

  it("starts again from the seed after a reset", async () => {
    await t.call("DELETE", `/organizations/${ORG}/connections/con_repeated00000001`);
    expect(names((await list()).body)).toEqual(["acme-okta"]);
    t.emulator.state.reset();
    expect(names((await list()).body)).toEqual(["acme-db", "acme-okta"]);
  });
});

describe("a list asked for twice, over HTTP", () => {
  let running: RunningEmulator;
  let authorization: string;
  beforeEach(async () => {
    running = await startEmulator({ seed });
    authorization = `Bearer ${await running.issueToken()}`;
  });
  afterEach(() => running.close());

  it("sends the current body with its own length each time", async () => {
    const get = async () => {
      const response = await fetch(`${running.baseUrl}/organizations/${ORG}/connections`, { headers: { authorization } });
      const text = await response.text();
      expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
      return JSON.parse(text) as Array<{ connection: { name: string }; organization_connection_name?: string }>;
    };
    expect(names(await get())).toEqual(["acme-db", "acme-okta"]);
    expect(names(await get())).toEqual(["acme-db", "acme-okta"]);
    // Same length as "acme-db", other bytes: the transport must not send the body it encoded before.
    running.state.seed({ connections: [{ id: "con_repeated00000001", name: "acme-ab", strategy: "auth0" }] });
    expect(names(await get())).toEqual(["acme-ab", "acme-okta"]);
    // A name with characters of more than one byte in UTF-8: the length is counted in bytes.
    const patched = await fetch(`${running.baseUrl}/organizations/${ORG}/connections/con_repeated00000002`, {
      method: "PATCH",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ organization_connection_name: "Équipe Acmé" }),
    });
    expect(patched.status).toBe(200);
    expect((await get())[1]).toMatchObject({ organization_connection_name: "Équipe Acmé" });
  });
});
