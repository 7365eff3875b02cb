/**
 * The one 429 a contract run forces on a user's emulator: it hits exactly the request the transaction sends (its
 * method and concrete path), not whatever request comes next — which, on an emulator in use, may be the user's own
 * code or test reading the tenant meanwhile. A forced status a killed run never used is removed by `--cleanup`'s
 * sweep, and every fault of the user's stays.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectEmulatorAdmin, type EmulatorAdmin } from "../../src/contract/emulator-admin.js";
import { confinedFetch } from "../../src/contract/outbound.js";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { currentFaults, setFaults, startTestEmulator } from "./helpers.js";

describe("a contract run's forced status on a user's emulator", () => {
  let emulator: RunningEmulator;
  let token: string;
  const onLoopback = confinedFetch({ live: false }, 5_000);
  const connect = async () => (await connectEmulatorAdmin(emulator.url, onLoopback)) as EmulatorAdmin;
  const get = async (path: string) => (await fetch(`${emulator.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).status;

  beforeAll(async () => {
    emulator = await startTestEmulator({
      seed: {
        organizations: [
          { id: "org_RunsFixture00001", name: "runs-fixture" },
          { id: "org_UsersOwnOrg00001", name: "users-own-org" },
        ],
      },
    });
    token = await emulator.issueToken();
  });
  beforeEach(async () => {
    await setFaults(emulator, { latencyMs: 5 });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("is not there on a server that is no emulator", async () => {
    const notAnEmulator = emulator.baseUrl; // the Management API answers 404 to the admin paths under it
    expect(await connectEmulatorAdmin(notAnEmulator, onLoopback)).toBeUndefined();
  });

  it("answers the aimed request with the status, once, and leaves every other request alone", async () => {
    const admin = await connect();
    await admin.forceStatus(429, { method: "GET", path: "/organizations/org_RunsFixture00001" });

    // Someone else's requests in between: another organization, the list, another method on the aimed path.
    expect(await get("/organizations/org_UsersOwnOrg00001")).toBe(200);
    expect(await get("/organizations")).toBe(200);
    const patch = await fetch(`${emulator.baseUrl}/organizations/org_RunsFixture00001`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ display_name: "Runs fixture" }),
    });
    expect(patch.status).toBe(200);

    expect(await get("/organizations/org_RunsFixture00001")).toBe(429);
    expect(await get("/organizations/org_RunsFixture00001")).toBe(200);
    expect(await currentFaults(emulator)).toEqual({ latencyMs: 5 });
    await admin.restoreFaults();
    expect(await currentFaults(emulator)).toEqual({ latencyMs: 5 });
  });

  it("is swept away after a killed run, keeping the user's own rules", async () => {
    const usersRule = { method: "POST", path: "/organizations", status: { code: 503, count: 2 } };
    await setFaults(emulator, { latencyMs: 5, rules: [usersRule] });
    const admin = await connect();
    await admin.forceStatus(429, { method: "GET", path: "/organizations/org_RunsFixture00001" });
    // The run is killed here, before its transaction is sent.

    // A new run's --cleanup: a connection of its own.
    await (await connect()).dropLeftoverForcedStatus();
    expect(await currentFaults(emulator)).toEqual({ latencyMs: 5, rules: [usersRule] });
    expect(await get("/organizations/org_RunsFixture00001")).toBe(200);
  });
});
