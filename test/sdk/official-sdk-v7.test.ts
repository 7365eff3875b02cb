/**
 * The official Auth0 Node SDK (`auth0` 7.x), unchanged, against the emulator: in-process through
 * `fetch: emulator.fetch`, and over HTTP through a `fetch` that sends the SDK's `https://{domain}` requests to the
 * emulator's port. It logs in with client credentials at the emulator's `/oauth/token`, calls every SDK method
 * that maps to an operation of the spec, pages with `for await`, gets the SDK's own error classes, and gets past
 * a 429 promptly because the emulator's `x-ratelimit-reset` lies at most a second or two ahead.
 */
import { Management, ManagementClient } from "auth0";
import { describe, expect, it } from "vitest";
import { NARROW_CLIENT, rejection, sdkAgainst, TARGETS } from "./fixture.js";

const errorCodeOf = (error: unknown) => ((error as { body?: { errorCode?: string } }).body ?? {}).errorCode;

describe.each(TARGETS)("auth0 v7 ManagementClient, %s", (_name, makeTarget) => {
  const sdk = sdkAgainst(makeTarget, (target, credentials) => new ManagementClient({ domain: target.emulator.domain, ...credentials, fetch: target.fetch }));

  it("creates, reads and deletes organizations and connections, and manages a connection's applications", async () => {
    const client = sdk.client();
    const org = await client.organizations.create({ name: "acme", display_name: "Acme" });
    expect(org.id).toMatch(/^org_[A-Za-z0-9]{16}$/);
    expect(await client.organizations.get(org.id!)).toMatchObject({ id: org.id, name: "acme", display_name: "Acme" });

    const db = await client.connections.create({ name: "acme-db", strategy: "auth0" });
    expect(db).toMatchObject({ name: "acme-db", strategy: "auth0" });
    const narrowed = await client.connections.get(db.id!, { fields: "name", include_fields: true });
    expect(narrowed).toMatchObject({ id: db.id, name: "acme-db" });
    expect(narrowed).not.toHaveProperty("realms");
    expect(await client.connections.update(db.id!, { display_name: "Acme staff" })).toMatchObject({ display_name: "Acme staff" });

    await client.connections.clients.update(db.id!, [
      { client_id: "app-one", status: true },
      { client_id: "app-two", status: true },
    ]);
    const clientIds: string[] = [];
    for await (const enabled of await client.connections.clients.get(db.id!, { take: 1 })) clientIds.push(enabled.client_id);
    expect(clientIds.sort()).toEqual(["app-one", "app-two"]);

    await client.connections.delete(db.id!);
    expect(errorCodeOf(await rejection(client.connections.get(db.id!)))).toBe("inexistent_connection");
    await client.organizations.delete(org.id!);
    expect(await rejection(client.organizations.get(org.id!))).toBeInstanceOf(Management.NotFoundError);
  });

  it("links connections through both families, and pages through them with for await", async () => {
    const client = sdk.client();
    const org = await client.organizations.create({ name: "globex" });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client.connections.create({ name: `globex-${i}`, strategy: "auth0" })).id!);
    const okta = (await client.connections.create({ name: "globex-okta", strategy: "okta", options: { domain: "globex.okta.com" } })).id!;

    const added = await client.organizations.enabledConnections.add(org.id!, { connection_id: ids[0]!, assign_membership_on_login: true });
    expect(added).toMatchObject({ connection_id: ids[0], assign_membership_on_login: true, show_as_button: true, connection: { name: "globex-0" } });
    expect(await client.organizations.enabledConnections.get(org.id!, ids[0]!)).toMatchObject({ connection_id: ids[0] });
    expect(await client.organizations.enabledConnections.update(org.id!, ids[0]!, { is_signup_enabled: true })).toMatchObject({ is_signup_enabled: true });

    const created = await client.organizations.connections.create(org.id!, {
      connection_id: okta,
      organization_connection_name: "Globex SSO",
      organization_access_level: "readonly",
    });
    expect(created).toMatchObject({ connection_id: okta, organization_access_level: "readonly", is_enabled: true });
    expect(await client.organizations.connections.get(org.id!, okta)).toMatchObject({ organization_connection_name: "Globex SSO" });
    expect(await client.organizations.connections.update(org.id!, okta, { organization_access_level: "full" })).toMatchObject({
      organization_access_level: "full",
    });
    for (const id of ids.slice(1)) await client.organizations.connections.create(org.id!, { connection_id: id });

    // Pages of two: the SDK asks for the next page until one comes back short.
    const viaEnabled: string[] = [];
    for await (const link of await client.organizations.enabledConnections.list(org.id!, { per_page: 2 })) viaEnabled.push(link.connection_id!);
    expect(viaEnabled.sort()).toEqual([...ids, okta].sort());
    // No per_page: the SDK asks until a page comes back empty.
    const viaConnections: string[] = [];
    for await (const link of await client.organizations.connections.list(org.id!)) viaConnections.push(link.connection_id);
    expect(viaConnections.sort()).toEqual([...ids, okta].sort());

    await client.organizations.enabledConnections.delete(org.id!, ids[0]!);
    await client.organizations.connections.delete(org.id!, okta);
    const left = await client.organizations.connections.list(org.id!, { per_page: 50 });
    expect(left.data.map((link) => link.connection_id).sort()).toEqual(ids.slice(1).sort());
  });

  it("creates an organization together with its enabled connections", async () => {
    const client = sdk.client();
    const con = await client.connections.create({ name: "initech-db", strategy: "auth0" });
    const org = await client.organizations.create({ name: "initech", enabled_connections: [{ connection_id: con.id!, assign_membership_on_login: true }] });
    expect(org.enabled_connections).toEqual([
      expect.objectContaining({ connection_id: con.id, assign_membership_on_login: true, connection: { name: "initech-db", strategy: "auth0" } }),
    ]);
  });

  it("throws the SDK's own error classes with statusCode and errorCode for 403, 404 and 409", async () => {
    const client = sdk.client();
    const missing = await rejection(client.organizations.get("org_0000000000000000"));
    expect(missing).toBeInstanceOf(Management.NotFoundError);
    expect(missing).toMatchObject({ statusCode: 404, body: { message: "No organization found by that id or name" } });

    const org = await client.organizations.create({ name: "umbrella" });
    const con = await client.connections.create({ name: "umbrella-db", strategy: "auth0" });
    await client.organizations.enabledConnections.add(org.id!, { connection_id: con.id! });
    const twice = await rejection(client.organizations.enabledConnections.add(org.id!, { connection_id: con.id! }));
    expect(twice).toBeInstanceOf(Management.ConflictError);
    expect(twice).toMatchObject({ statusCode: 409 });

    const narrow = sdk.client(NARROW_CLIENT);
    const forbidden = await rejection(narrow.organizations.create({ name: "not-allowed" }));
    expect(forbidden).toBeInstanceOf(Management.ForbiddenError);
    expect(forbidden).toMatchObject({ statusCode: 403 });
    expect(errorCodeOf(forbidden)).toBe("insufficient_scope");
    expect(errorCodeOf(missing)).toBeUndefined();
  });

  it("gets past a 429 within seconds (it waits for x-ratelimit-reset, which is at most a second or two ahead)", async () => {
    const client = sdk.client();
    const con = await client.connections.create({ name: "rate-limited", strategy: "auth0" });
    sdk.target().emulator.faults.set({ status: { code: 429, count: 1 } });
    const started = Date.now();
    expect(await client.connections.get(con.id!)).toMatchObject({ id: con.id });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sdk.target().emulator.faults.current().status?.count).toBe(0); // the 429 was answered, then retried past
  }, 20_000);
});
