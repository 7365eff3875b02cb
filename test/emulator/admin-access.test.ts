/**
 * Who may use the admin API (issue 13): loopback callers addressing a loopback Host, without a foreign Origin,
 * writing JSON; or holders of the admin token. Everything else is Auth0's 403, and changes nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createEmulator, type SeedData, startEmulator } from "../../src/emulator/index.js";
import { adminApiMode } from "../../src/emulator/server.js";
import { sendRaw } from "../harness/fuzz/raw-http.js";

const seed: SeedData = {
  organizations: [{ id: "org_access0000000001", name: "acme" }],
  clients: [{ client_id: "seeded-app", client_secret: "seeded-secret-value", scopes: ["read:organizations"] }],
};
const ADMIN_TOKEN = "an-admin-token-of-32-characters!";
const json = { "content-type": "application/json" };

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function expectForbidden(response: { status: number; body: string }) {
  expect(response.status).toBe(403);
  expect(JSON.parse(response.body)).toMatchObject({ statusCode: 403, error: "Forbidden", errorCode: "access_denied", message: expect.any(String) });
}

async function answer(response: Response) {
  return { status: response.status, body: await response.text() };
}

describe("in-process (emulator.fetch counts as loopback)", () => {
  it("answers a loopback or own-domain Host; refuses a foreign Host (DNS rebinding)", async () => {
    const emulator = createEmulator({ seed });
    expect((await emulator.fetch("http://localhost/__emulator/state")).status).toBe(200);
    expect((await emulator.fetch("http://127.0.0.1:8787/__emulator/state")).status).toBe(200);
    expect((await emulator.fetch("/__emulator/state")).status).toBe(200);
    expectForbidden(await answer(await emulator.fetch("http://attacker.example/__emulator/state")));
    expectForbidden(await answer(await emulator.fetch("http://attacker.example/__emulator/token", { method: "POST", headers: json, body: "{}" })));
  });

  it("refuses a web page's writes: a foreign Origin, or no JSON content type — and the tenant is untouched", async () => {
    const emulator = createEmulator({ seed });
    const before = emulator.state.snapshot();
    for (const path of ["/reset", "/clear"]) {
      expectForbidden(
        await answer(
          await emulator.fetch(`http://127.0.0.1:8787/__emulator${path}`, {
            method: "POST",
            headers: { origin: "https://attacker.example", "content-type": "text/plain" },
          }),
        ),
      );
      expectForbidden(
        await answer(
          await emulator.fetch(`http://127.0.0.1:8787/__emulator${path}`, {
            method: "POST",
            headers: { origin: "https://attacker.example", ...json },
            body: "{}",
          }),
        ),
      );
      expectForbidden(
        await answer(
          await emulator.fetch(`http://127.0.0.1:8787/__emulator${path}`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }),
        ),
      );
      expectForbidden(await answer(await emulator.fetch(`http://127.0.0.1:8787/__emulator${path}`, { method: "POST" })));
    }
    expectForbidden(await answer(await emulator.fetch("http://localhost/__emulator/state", { headers: { origin: "null" } })));
    expect(emulator.state.snapshot()).toEqual(before);
    // A loopback Origin (a local tool's page) and JSON are fine.
    expect(
      (await emulator.fetch("http://localhost/__emulator/clear", { method: "POST", headers: { origin: "http://localhost:3000", ...json }, body: "{}" })).status,
    ).toBe(204);
    expect((await emulator.fetch("http://localhost/__emulator/faults", { method: "DELETE", headers: json })).status).toBe(204);
  });

  it("refuses a non-loopback peer whatever it claims in X-Forwarded-For or Forwarded", async () => {
    const emulator = createEmulator({ seed });
    const request = () => new Request("http://127.0.0.1:8787/__emulator/state", { headers: { "x-forwarded-for": "127.0.0.1", forwarded: "for=127.0.0.1" } });
    expectForbidden(await answer(await emulator.dispatch(request(), "192.0.2.7")));
    expectForbidden(
      await answer(await emulator.dispatch(new Request("http://127.0.0.1:8787/__emulator/token", { method: "POST", headers: json, body: "{}" }), "10.0.0.5")),
    );
    for (const loopback of ["127.0.0.1", "127.3.2.1", "::1", "::ffff:127.0.0.1"])
      expect((await emulator.dispatch(request(), loopback)).status, loopback).toBe(200);
    for (const other of ["128.0.0.1", "::ffff:192.0.2.7", "fe80::1", "", "127.1"]) expect((await emulator.dispatch(request(), other)).status, other).toBe(403);
  });

  it("with an admin token: required from everyone, enough from anywhere", async () => {
    const emulator = createEmulator({ seed, adminToken: ADMIN_TOKEN });
    expectForbidden(await answer(await emulator.fetch("http://localhost/__emulator/state")));
    expectForbidden(
      await answer(await emulator.fetch("http://localhost/__emulator/state", { headers: { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` } })),
    );
    const remote = await emulator.dispatch(
      new Request("http://192.0.2.2:8787/__emulator/state", { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
      "192.0.2.7",
    );
    expect(remote.status).toBe(200);
    // The Origin and content-type rules still hold.
    expectForbidden(
      await answer(
        await emulator.fetch("http://localhost/__emulator/clear", {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "text/plain" },
        }),
      ),
    );
    expect(() => createEmulator({ adminToken: "short" })).toThrow(/at least 16 characters/);
  });

  it("seeded client secrets get tokens only for local callers", async () => {
    const emulator = createEmulator({ seed });
    const tokenRequest = (url: string) =>
      new Request(url, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ grant_type: "client_credentials", client_id: "seeded-app", client_secret: "seeded-secret-value" }),
      });
    expect((await emulator.fetch(tokenRequest("http://localhost/oauth/token"))).status).toBe(200);
    const remote = await emulator.dispatch(tokenRequest("http://192.0.2.2/oauth/token"), "192.0.2.7");
    expect(remote.status).toBe(401);
    expect(await remote.json()).toEqual({ error: "access_denied", error_description: "Unauthorized" });
    expect((await emulator.fetch(tokenRequest("http://attacker.example/oauth/token"))).status).toBe(401);
  });
});

describe("over HTTP", () => {
  it("the socket's peer reaches the core: a loopback peer with a foreign Host is refused (DNS rebinding)", async () => {
    const running = await startEmulator({ seed });
    closers.push(() => running.close());
    expect(running.adminApi).toBe("loopback");
    const state = await sendRaw(running.url, { method: "GET", path: "/__emulator/state", headers: { host: `attacker.example:${running.port}` } });
    expectForbidden(state);
    const token = await sendRaw(running.url, {
      method: "POST",
      path: "/__emulator/token",
      headers: { host: `attacker.example:${running.port}`, ...json },
      body: "{}",
    });
    expectForbidden(token);
    const reset = await sendRaw(running.url, {
      method: "POST",
      path: "/__emulator/reset",
      headers: { origin: "https://attacker.example", "content-type": "text/plain" },
    });
    expectForbidden(reset);
    // Absolute-form request targets name the host too.
    const absolute = await sendRaw(running.url, { method: "GET", path: `http://attacker.example:${running.port}/__emulator/state` });
    expectForbidden(absolute);
    expect((await sendRaw(running.url, { method: "GET", path: "/__emulator/state", headers: { host: `localhost:${running.port}` } })).status).toBe(200);
    expect((await sendRaw(running.url, { method: "GET", path: "/__emulator/state" })).status).toBe(200);
  });

  it("a non-loopback listener turns the admin API off unless it has an admin token", () => {
    expect(adminApiMode("0.0.0.0", undefined)).toBe("off");
    expect(adminApiMode("::", undefined)).toBe("off");
    expect(adminApiMode("192.0.2.2", undefined)).toBe("off");
    expect(adminApiMode("0.0.0.0", ADMIN_TOKEN)).toBe("admin-token");
    expect(adminApiMode("127.0.0.1", undefined)).toBe("loopback");
    expect(adminApiMode("::1", undefined)).toBe("loopback");
  });

  it("an emulator whose admin API is off refuses even loopback callers", async () => {
    const emulator = createEmulator({ seed });
    emulator.adminAccess.enabled = false;
    const refused = await answer(await emulator.fetch("http://localhost/__emulator/state"));
    expectForbidden(refused);
    expect(JSON.parse(refused.body).message).toMatch(/admin API is off.*--admin-token/);
  });
});
