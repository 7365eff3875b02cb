/**
 * Onboarding code as teams write it on the official Node SDK (v7, package `auth0`), run unchanged against the
 * emulator, in-process (`fetch: emulator.fetch`) and over HTTP (the SDK's `https://{domain}` requests rewritten to
 * the emulator's loopback origin): find the organization by name (or by its previous name, then rename it) or
 * create it, find the connection by name, enable it on the organization. Run twice: the second run finds
 * everything in place and changes nothing.
 */
import { ManagementClient } from "auth0";
import { afterEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorMiddleware, type RunningEmulator, type SeedData, startEmulator } from "../../src/emulator/index.js";
import { originRewritingFetch } from "../helpers/official-sdk.js";

const DOMAIN = "emulator.local";
const APP = { client_id: "onboarding-app", client_secret: "local-only-onboarding-secret" };

interface Plan {
  name: string;
  previousName: string;
  displayName: string;
  connectionName: string;
}

const PLAN: Plan = { name: "acme-corporation", previousName: "acme-corp", displayName: "Acme Corporation Ltd", connectionName: "acme-okta" };

const BASE_SEED: SeedData = {
  connections: [
    { id: "con_Xk3pL9qRt2VwY7Za", name: "Username-Password-Authentication", strategy: "auth0" },
    { id: "con_Ok7aE2nTz5Hq1MvB", name: "acme-okta", strategy: "okta", options: { domain: "acme.okta.com" } },
  ],
  clients: [{ ...APP, name: "Onboarding" }],
};
const WITH_OLD_ORGANIZATION: SeedData = { ...BASE_SEED, organizations: [{ id: "org_W2nJ4xPq7sKd9VbT", name: "acme-corp", display_name: "Acme Corporation" }] };

const isNotFound = (error: unknown) => typeof error === "object" && error !== null && (error as { statusCode?: number }).statusCode === 404;

async function findOrganization(client: ManagementClient, name: string) {
  try {
    return await client.organizations.getByName(name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The onboarding code under test; returns what it changed. */
async function onboard(client: ManagementClient, plan: Plan): Promise<string[]> {
  const changes: string[] = [];
  let organization = await findOrganization(client, plan.name);
  if (!organization) {
    const previous = await findOrganization(client, plan.previousName);
    if (previous?.id) {
      organization = await client.organizations.update(previous.id, { name: plan.name, display_name: plan.displayName });
      changes.push("renamed");
    }
  }
  if (!organization) {
    organization = await client.organizations.create({ name: plan.name, display_name: plan.displayName });
    changes.push("created");
  }
  const organizationId = organization.id!;
  if (organization.display_name !== plan.displayName) {
    await client.organizations.update(organizationId, { display_name: plan.displayName });
    changes.push("display name");
  }

  const connections = await client.connections.list({ name: plan.connectionName });
  const connection = connections.data[0];
  if (!connection?.id) throw new Error(`no connection named ${plan.connectionName}`);

  const linked = await client.organizations.enabledConnections.list(organizationId);
  if (!linked.data.some((link) => link.connection_id === connection.id)) {
    await client.organizations.enabledConnections.add(organizationId, { connection_id: connection.id, assign_membership_on_login: true });
    changes.push("enabled");
  }
  return changes;
}

/** Counts the requests that could change the tenant. */
function writeCounter(): { middleware: EmulatorMiddleware; writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    middleware: (request, next) => {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith("/api/v2/") && request.method !== "GET") writes.push(`${request.method} ${pathname}`);
      return next(request);
    },
  };
}

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function tenant(transport: "in-process" | "http", seed: SeedData) {
  const counter = writeCounter();
  const options = { domain: DOMAIN, seed, middleware: [counter.middleware] };
  if (transport === "in-process") {
    const emulator = createEmulator(options);
    return {
      emulator,
      counter,
      client: new ManagementClient({ domain: DOMAIN, clientId: APP.client_id, clientSecret: APP.client_secret, fetch: emulator.fetch }),
    };
  }
  running = await startEmulator({ ...options, port: 0 });
  return {
    emulator: running,
    counter,
    client: new ManagementClient({ domain: DOMAIN, clientId: APP.client_id, clientSecret: APP.client_secret, fetch: originRewritingFetch(running.url) }),
  };
}

describe.each(["in-process", "http"] as const)("onboarding with the official SDK v7 (%s)", (transport) => {
  it("renames the organization found by its previous name, enables the connection, and changes nothing on a second run", async () => {
    const { emulator, counter, client } = await tenant(transport, WITH_OLD_ORGANIZATION);
    expect(await onboard(client, PLAN)).toEqual(["renamed", "enabled"]);
    const state = emulator.state.snapshot();
    expect(state.organizations).toEqual([
      { id: "org_W2nJ4xPq7sKd9VbT", name: "acme-corporation", display_name: "Acme Corporation Ltd", third_party_client_access: "block" },
    ]);
    expect(state.links.map((l) => [l.organization_id, l.connection_id, l.assign_membership_on_login])).toEqual([
      ["org_W2nJ4xPq7sKd9VbT", "con_Ok7aE2nTz5Hq1MvB", true],
    ]);

    counter.writes.length = 0;
    expect(await onboard(client, PLAN)).toEqual([]);
    expect(counter.writes).toEqual([]);
    expect(emulator.state.snapshot()).toEqual(state);
  });

  it("creates the organization when neither name exists, once", async () => {
    const { emulator, counter, client } = await tenant(transport, BASE_SEED);
    expect(await onboard(client, PLAN)).toEqual(["created", "enabled"]);
    const state = emulator.state.snapshot();
    expect(state.organizations.map((o) => o.name)).toEqual(["acme-corporation"]);

    counter.writes.length = 0;
    expect(await onboard(client, PLAN)).toEqual([]);
    expect(counter.writes).toEqual([]);
    expect(emulator.state.snapshot()).toEqual(state);
  });
});
