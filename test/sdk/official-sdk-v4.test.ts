/**
 * The last 4.x release of the official Auth0 Node SDK (`auth0@4.37.1`, installed as `auth0-v4`), unchanged,
 * against the emulator in-process and over HTTP, through the methods it has for the spec's operations (4.x has
 * none for `/organizations/{id}/connections`): client credentials at `/oauth/token`, its `ManagementApiError`
 * with `statusCode` and `errorCode`, and its own retry after a 429.
 */
import { ManagementApiError, ManagementClient } from "auth0-v4";
import { describe, expect, it } from "vitest";
import { NARROW_CLIENT, rejection, sdkAgainst, TARGETS } from "./fixture.js";

describe.each(TARGETS)("auth0 v4 ManagementClient, %s", (_name, makeTarget) => {
  const sdk = sdkAgainst(makeTarget, (target, credentials) => new ManagementClient({ domain: target.emulator.domain, ...credentials, fetch: target.fetch }));

  it("creates, reads and deletes organizations and connections, and manages a connection's applications", async () => {
    const client = sdk.client();
    const { data: org, status } = await client.organizations.create({ name: "acme", display_name: "Acme" });
    expect(status).toBe(201);
    expect((await client.organizations.get({ id: org.id })).data).toMatchObject({ id: org.id, name: "acme" });

    const { data: db } = await client.connections.create({ name: "acme-db", strategy: "auth0" });
    expect((await client.connections.get({ id: db.id, fields: "name", include_fields: true })).data).toMatchObject({ id: db.id, name: "acme-db" });
    expect((await client.connections.update({ id: db.id }, { display_name: "Acme staff" })).data).toMatchObject({ display_name: "Acme staff" });
    await client.connections.updateEnabledClients({ id: db.id }, [{ client_id: "app-one", status: true }]);
    expect((await client.connections.getEnabledClients({ id: db.id })).data.clients).toEqual([{ client_id: "app-one" }]);

    expect((await client.connections.delete({ id: db.id })).status).toBe(202);
    await client.organizations.delete({ id: org.id });
    const gone = await rejection(client.organizations.get({ id: org.id }));
    expect(gone).toBeInstanceOf(ManagementApiError);
    expect(gone).toMatchObject({ statusCode: 404, message: "No organization found by that id or name" });
  });

  it("links connections through enabled_connections and lists them with totals", async () => {
    const client = sdk.client();
    const { data: org } = await client.organizations.create({ name: "globex" });
    const { data: db } = await client.connections.create({ name: "globex-db", strategy: "auth0" });
    const { data: added } = await client.organizations.addEnabledConnection({ id: org.id }, { connection_id: db.id, assign_membership_on_login: true });
    expect(added).toMatchObject({ connection_id: db.id, assign_membership_on_login: true, show_as_button: true });
    expect((await client.organizations.getEnabledConnection({ id: org.id, connectionId: db.id })).data).toMatchObject({ connection: { name: "globex-db" } });
    expect((await client.organizations.updateEnabledConnection({ id: org.id, connectionId: db.id }, { is_signup_enabled: true })).data).toMatchObject({
      is_signup_enabled: true,
    });
    const { data: page } = await client.organizations.getEnabledConnections({ id: org.id, include_totals: true, per_page: 10 });
    expect(page).toMatchObject({ start: 0, limit: 1, total: 1 });
    await client.organizations.deleteEnabledConnection({ id: org.id, connectionId: db.id });
    expect((await client.organizations.getEnabledConnections({ id: org.id })).data).toEqual([]);
  });

  it("reports 403, 404 and 409 as ManagementApiError with statusCode and errorCode", async () => {
    const client = sdk.client();
    const missing = await rejection(client.connections.get({ id: "con_0000000000000000" }));
    expect(missing).toMatchObject({ statusCode: 404, errorCode: "inexistent_connection" });

    const { data: org } = await client.organizations.create({ name: "umbrella" });
    const { data: con } = await client.connections.create({ name: "umbrella-db", strategy: "auth0" });
    await client.organizations.addEnabledConnection({ id: org.id }, { connection_id: con.id });
    const twice = await rejection(client.organizations.addEnabledConnection({ id: org.id }, { connection_id: con.id }));
    expect(twice).toBeInstanceOf(ManagementApiError);
    expect(twice).toMatchObject({ statusCode: 409, message: "The organization connection already exists." });

    const narrow = sdk.client(NARROW_CLIENT);
    const forbidden = await rejection(narrow.organizations.create({ name: "not-allowed" }));
    expect(forbidden).toBeInstanceOf(ManagementApiError);
    expect(forbidden).toMatchObject({ statusCode: 403, errorCode: "insufficient_scope" });
  });

  it("retries a 429 and succeeds", async () => {
    const client = sdk.client();
    const { data: con } = await client.connections.create({ name: "rate-limited", strategy: "auth0" });
    sdk.target().emulator.faults.set({ status: { code: 429, count: 1 } });
    expect((await client.connections.get({ id: con.id })).data).toMatchObject({ id: con.id });
    expect(sdk.target().emulator.faults.current().status?.count).toBe(0);
  }, 20_000);
});
