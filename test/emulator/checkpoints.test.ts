/**
 * Checkpoint paging (`take`/`from`): a `from` the service never issued is a 400 in Auth0's shape, not an empty page
 * (issue 20) — a position made up by hand, one issued for another list, or garbage. An issued one still works,
 * also after the list shrank under it (an empty page then, as the walk simply ends).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
beforeEach(async () => {
  t = await testEmulator({
    seed: {
      organizations: [{ name: "one" }, { name: "two" }, { name: "three" }],
      connections: [
        { name: "db-one", strategy: "auth0" },
        { name: "db-two", strategy: "auth0" },
        { name: "db-three", strategy: "auth0" },
      ],
    },
  });
});
afterEach(() => t.expectNoViolations());

const invalidCheckpoint = { statusCode: 400, error: "Bad Request", errorCode: "invalid_query_string" };

describe("a from checkpoint", () => {
  it("issued by the service continues the walk", async () => {
    const first = await t.call("GET", "/organizations?take=1");
    expect(first.status).toBe(200);
    const second = await t.call("GET", `/organizations?take=1&from=${first.body.next}`);
    expect(second.status).toBe(200);
    expect(second.body.organizations).toHaveLength(1);
    expect(second.body.organizations[0].name).not.toBe(first.body.organizations[0].name);
  });

  it.each([
    ["a position made up by hand (past the end)", Buffer.from("999").toString("base64url")],
    ["a position made up by hand (within the list)", Buffer.from("1").toString("base64url")],
    ["garbage", "not-a-checkpoint"],
  ])("that the service never issued is a 400: %s", async (_name, from) => {
    const answer = await t.call("GET", `/organizations?take=1&from=${from}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject(invalidCheckpoint);
    expect(answer.body.message).toMatch(/checkpoint/i);
  });

  it("issued for another list is a 400 on this one", async () => {
    const connections = await t.call("GET", "/connections?take=1");
    const answer = await t.call("GET", `/organizations?take=1&from=${connections.body.next}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject(invalidCheckpoint);
  });

  it("issued before the list shrank answers an empty page, not an error", async () => {
    const first = await t.call("GET", "/organizations?take=2");
    for (const organization of (await t.call("GET", "/organizations")).body) await t.call("DELETE", `/organizations/${organization.id}`);
    const after = await t.call("GET", `/organizations?take=2&from=${first.body.next}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ organizations: [] });
  });
});
