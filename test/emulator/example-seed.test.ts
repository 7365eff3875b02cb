/** The seed file the README and docs/emulator.md use (`npm run emulator -- --seed examples/seed.json`) is valid and means what it says. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createEmulator, type SeedData } from "../../src/emulator/index.js";
import { PROJECT_ROOT } from "../helpers/project.js";

describe("examples/seed.json", () => {
  it("seeds an organization with its database connection linked, and an application that can get tokens", async () => {
    const seed = JSON.parse(await readFile(path.join(PROJECT_ROOT, "examples", "seed.json"), "utf8")) as SeedData;
    const emulator = createEmulator({ seed });
    const token = await emulator.issueToken({ scopes: ["read:organization_connections"] });
    const response = await emulator.fetch(
      new Request("http://emulator.local/api/v2/organizations/org_acme000000000001/connections", { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as Array<{ connection: { name: string } }>).map((c) => c.connection.name)).toEqual(["acme-db"]);

    const tokenResponse = await emulator.fetch(
      new Request("http://emulator.local/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grant_type: "client_credentials", client_id: "my-app", client_secret: "local-only-secret", audience: emulator.audience }),
      }),
    );
    expect(tokenResponse.status).toBe(200);
  });

  it("seeds the application's client grant, associated with the organization, and never shows the secret", async () => {
    const seed = JSON.parse(await readFile(path.join(PROJECT_ROOT, "examples", "seed.json"), "utf8")) as SeedData;
    const emulator = createEmulator({ seed });
    const headers = { authorization: `Bearer ${await emulator.issueToken()}` };
    const grants = await emulator.fetch(new Request("http://emulator.local/api/v2/organizations/org_acme000000000001/client-grants", { headers }));
    expect(((await grants.json()) as Array<{ client_id: string }>).map((g) => g.client_id)).toEqual(["my-app"]);
    const clients = await (await emulator.fetch(new Request("http://emulator.local/api/v2/clients", { headers }))).text();
    expect(JSON.parse(clients)).toEqual([
      { tenant: "emulator", client_id: "my-app", name: "My App", app_type: "non_interactive" },
      { tenant: "emulator", client_id: "deploy-cli", name: "Deploy CLI", app_type: "non_interactive" },
    ]);
    expect(clients).not.toMatch(/local-only|secret|scopes/);
  });
});
