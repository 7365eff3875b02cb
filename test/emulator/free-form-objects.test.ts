/**
 * Free-form objects (a connection's `options`) are bounded by Auth0's 1 MB payload limit, and the emulator keeps
 * them at about their JSON size (issue 20: ~0.9 MB of options was held as 7 MB per connection, and a page of 40 such
 * connections took seconds while every other client waited). What the client reads back is exactly what it stored.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { type TestEmulator, testEmulator } from "./helpers.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Options of many small properties: the shape that costs a JavaScript object the most per JSON byte. */
function manySmallProperties(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, "v"]));
}

let t: TestEmulator;
afterEach(() => t.expectNoViolations());

describe("a connection's options", () => {
  it("over Auth0's 1 MB payload are refused", async () => {
    t = await testEmulator();
    const answer = await t.call("POST", "/connections", { body: { name: "too-big", strategy: "auth0", options: manySmallProperties(100_000) } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ statusCode: 400, error: "Bad Request", errorCode: "invalid_body" });
  });

  it("are held at about their JSON size, not several times it", async () => {
    t = await testEmulator({ rateLimit: false });
    const options = manySmallProperties(40_000);
    const bytes = JSON.stringify(options).length;
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let index = 0; index < 10; index += 1) {
      const created = await t.call("POST", "/connections", { body: { name: `large-${index}`, strategy: "auth0", options } });
      expect(created.status).toBe(201);
    }
    gc();
    const perConnection = (process.memoryUsage().heapUsed - before) / 10;
    // As objects they took about 8 times their JSON size; as text about once (UTF-16 at worst twice).
    expect(perConnection).toBeLessThan(3 * bytes);
  });

  it("come back exactly as stored, in a list, one by one and in the tenant's state", async () => {
    t = await testEmulator();
    const options = { nested: { deep: [1, 2.5, "ü ✓ \u2028", null, true] }, quote: 'a "quoted" \\ value', looksLikeAMark: "raw-json-0:0" };
    const created = await t.call("POST", "/connections", { body: { name: "exact", strategy: "auth0", options } });
    expect(created.status).toBe(201);
    expect(created.body.options).toMatchObject(options);
    const one = await t.call("GET", `/connections/${created.body.id}`);
    expect(one.body.options).toEqual(created.body.options);
    const list = await t.call("GET", "/connections?name=exact");
    expect(list.body[0].options).toEqual(created.body.options);
    const state = t.emulator.state.snapshot();
    expect(state.connections.find((c) => c.name === "exact")?.options).toEqual(created.body.options);
    const updated = await t.call("PATCH", `/connections/${created.body.id}`, { body: { options: { replaced: true } } });
    expect(updated.body.options).toMatchObject({ replaced: true });
    expect(updated.body.options).not.toHaveProperty("nested");
  });
});
