/**
 * A request to an operation the emulator does not serve gets Auth0's 404 body, and the emulator says so on stderr
 * (`unserved operation METHOD PATH`): tools such as auth0-deploy-cli read some 404s as "feature absent" and carry
 * on, so the line is how a user finds out why a tool skipped something.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { auth0Error, type TestEmulator, testEmulator } from "./helpers.js";

describe("unserved operations", () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await testEmulator();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    t.expectNoViolations();
  });

  it("answer Auth0's 404 and print the method and path to stderr", async () => {
    const stderr = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = await t.call("GET", "/tenants/settings", { query: { include_fields: true } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(auth0Error(404, "Not Found", "Not Found"));
    expect(stderr.mock.calls.map((args) => String(args[0]))).toEqual(["auth0-emulator: unserved operation GET /api/v2/tenants/settings"]);
  });

  it("stay quiet for served operations and for paths outside the Management API", async () => {
    const stderr = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect((await t.call("GET", "/organizations")).status).toBe(200);
    expect((await t.emulator.fetch("http://emulator.test/favicon.ico")).status).toBe(404);
    expect(stderr).not.toHaveBeenCalled();
  });
});
