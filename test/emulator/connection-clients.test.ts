/** `/connections/{id}/clients`: which applications may use a connection. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
let id: string;
beforeEach(async () => {
  t = await testEmulator();
  id = (await t.call("POST", "/connections", { body: { name: "acme-db", strategy: "auth0", enabled_clients: ["app-a"] } })).body.id;
});
afterEach(() => t.expectNoViolations());

describe("/connections/{id}/clients", () => {
  it("lists the enabled clients", async () => {
    const res = await t.call("GET", `/connections/${id}/clients`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clients: [{ client_id: "app-a" }] });
  });

  it("enables and disables clients, leaving those not listed alone", async () => {
    const patch = await t.call("PATCH", `/connections/${id}/clients`, {
      body: [
        { client_id: "app-b", status: true },
        { client_id: "app-c", status: true },
      ],
    });
    expect(patch.status).toBe(204);
    expect(patch.text).toBe("");
    await t.call("PATCH", `/connections/${id}/clients`, { body: [{ client_id: "app-b", status: false }] });
    expect((await t.call("GET", `/connections/${id}/clients`)).body.clients).toEqual([{ client_id: "app-a" }, { client_id: "app-c" }]);
    // The deprecated field shows the same list.
    expect((await t.call("GET", `/connections/${id}`)).body.enabled_clients).toEqual(["app-a", "app-c"]);
  });

  it("pages with take and the next checkpoint until next is absent", async () => {
    await t.call("PATCH", `/connections/${id}/clients`, { body: ["b", "c", "d", "e"].map((c) => ({ client_id: `app-${c}`, status: true })) });
    const seen: string[] = [];
    let from: string | undefined;
    for (let i = 0; i < 10; i++) {
      const res = await t.call("GET", `/connections/${id}/clients`, { query: from ? { take: 2, from } : { take: 2 } });
      seen.push(...res.body.clients.map((c: { client_id: string }) => c.client_id));
      from = res.body.next;
      if (!from) break;
    }
    expect(seen).toEqual(["app-a", "app-b", "app-c", "app-d", "app-e"]);
  });

  it("rejects bad paging and bodies", async () => {
    expect((await t.call("GET", `/connections/${id}/clients`, { query: { take: 0 } })).body.errorCode).toBe("invalid_query_string");
    expect((await t.call("GET", `/connections/${id}/clients`, { query: { take: 1001 } })).status).toBe(400);
    expect((await t.call("GET", `/connections/${id}/clients`, { query: { from: "not-a-checkpoint" } })).body.errorCode).toBe("invalid_query_string");
    const empty = await t.call("PATCH", `/connections/${id}/clients`, { body: [] });
    expect(empty.body.message).toBe("Payload validation error: 'Array is too short (0), minimum 1'.");
    const noStatus = await t.call("PATCH", `/connections/${id}/clients`, { body: [{ client_id: "x" }] });
    expect(noStatus.body.message).toMatch(/^Payload validation error: 'Missing required property: status' on property 0/);
    const object = await t.call("PATCH", `/connections/${id}/clients`, { body: { client_id: "x", status: true } });
    expect(object.body.message).toBe("Payload validation error: 'Expected type array but found type object'.");
  });

  it("404s an unknown connection", async () => {
    expect((await t.call("GET", "/connections/con_nope/clients")).status).toBe(404);
    expect((await t.call("PATCH", "/connections/con_nope/clients", { body: [{ client_id: "x", status: true }] })).body.message).toBe(
      "The connection does not exist",
    );
  });
});
