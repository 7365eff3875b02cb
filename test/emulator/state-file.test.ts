/**
 * `createEmulator({ state })`: the tenant is loaded from the file, written back after every change (whole, by a
 * rename), never with a client secret, and a file that is not an emulator's tenant is refused with a clear error
 * and left as it was.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createEmulator, type SeedData, StateFileError } from "../../src/emulator/index.js";
import { STATE_FORMAT } from "../../src/emulator/state-file.js";

const SECRET = "state-test-secret-Zq8vR2pL9xT4wK7m";
const SEED: SeedData = {
  organizations: [{ id: "org_state000000000001", name: "acme", display_name: "Acme" }],
  connections: [{ id: "con_state000000000001", name: "acme-db", strategy: "auth0" }],
  clients: [{ client_id: "state-app", name: "State App", client_secret: SECRET }],
};

const newDir = () => mkdtempSync(path.join(tmpdir(), "emulator-state-"));
const readState = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { format: string; version: number; tenants: Record<string, SeedData> };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(emulator: ReturnType<typeof createEmulator>, method: string, url: string, body?: unknown) {
  const token = await emulator.issueToken();
  const response = await emulator.fetch(`/api/v2${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
}

describe("createEmulator({ state })", () => {
  it("starts from the seed, writes the file at once and after each change, and the next emulator starts where it stopped", async () => {
    const file = path.join(newDir(), "tenant.json");
    const first = createEmulator({ seed: SEED, state: file });
    expect(readState(file)).toMatchObject({
      format: STATE_FORMAT,
      version: 1,
      tenants: { "emulator.local": { organizations: [expect.objectContaining({ name: "acme" })] } },
    });

    expect(
      (
        await call(first, "POST", "/organizations/org_state000000000001/enabled_connections", {
          connection_id: "con_state000000000001",
          assign_membership_on_login: true,
        })
      ).status,
    ).toBe(201);
    expect((await call(first, "PATCH", "/organizations/org_state000000000001", { display_name: "Acme Inc." })).status).toBe(200);
    await sleep(200);
    expect(readState(file).tenants["emulator.local"]!.links).toEqual([
      expect.objectContaining({ organization_id: "org_state000000000001", connection_id: "con_state000000000001", assign_membership_on_login: true }),
    ]);

    const second = createEmulator({ seed: SEED, state: file });
    const organization = await call(second, "GET", "/organizations/org_state000000000001");
    expect(organization.body.display_name).toBe("Acme Inc.");
    expect((await call(second, "GET", "/organizations/org_state000000000001/enabled_connections")).body).toEqual([
      expect.objectContaining({ connection_id: "con_state000000000001" }),
    ]);
    // The seed's secret is applied to the loaded application: it still gets tokens.
    const token = await second.fetch("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: "state-app", client_secret: SECRET, audience: second.audience }),
    });
    expect(token.status).toBe(200);
  });

  it("never writes a client secret, and leaves no temporary file behind", async () => {
    const dir = newDir();
    const file = path.join(dir, "tenant.json");
    const emulator = createEmulator({ seed: SEED, state: file });
    emulator.state.seed({ clients: [{ client_id: "other-app", client_secret: "another-secret-0123456789abcdef" }] });
    emulator.state.save();
    const text = readFileSync(file, "utf8");
    expect(text).toContain("other-app");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("another-secret-0123456789abcdef");
    expect(readdirSync(dir)).toEqual(["tenant.json"]);
  });

  it("writes a change that failed half way nowhere (all or nothing reaches the file too)", async () => {
    const file = path.join(newDir(), "tenant.json");
    const emulator = createEmulator({ seed: SEED, state: file, entityLimit: 1 });
    const before = readFileSync(file, "utf8");
    // The second link breaks the entity limit: the organization and the first link are undone, and never written.
    const res = await call(emulator, "POST", "/organizations", {
      name: "globex",
      enabled_connections: [{ connection_id: "con_state000000000001" }, { connection_id: "con_state000000000001" }],
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    await sleep(100);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it.each([
    ["not JSON", "{ organizations: [", /is not an emulator tenant: it is not valid JSON/],
    ["a seed file", JSON.stringify(SEED), /is not an emulator tenant: it has no "format": "auth0-emulator-state" and "tenants" \(a seed file goes to --seed\)/],
    [
      "a tenant with a bad entry",
      JSON.stringify({ format: STATE_FORMAT, version: 1, tenants: { "emulator.local": { organizations: [{ name: "Not A Valid Name!" }] } } }),
      /is not an emulator tenant: organizations\[0\]/,
    ],
    [
      "another domain's tenant",
      JSON.stringify({ format: STATE_FORMAT, version: 1, tenants: { "other.local": {} } }),
      /holds no tenant for emulator\.local \(it holds other\.local; start with --domain other\.local\)/,
    ],
    ["a newer version", JSON.stringify({ format: STATE_FORMAT, version: 2, tenants: {} }), /has version 2; this emulator reads version 1/],
  ])("refuses %s with a clear error and leaves the file as it was", (_label, text, message) => {
    const file = path.join(newDir(), "tenant.json");
    writeFileSync(file, text);
    let thrown: unknown;
    try {
      createEmulator({ seed: SEED, state: file });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StateFileError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).toContain(file);
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});
