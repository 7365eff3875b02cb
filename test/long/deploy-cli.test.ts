/**
 * auth0-deploy-cli 8.44.0, unchanged, against the emulator: the way teams keep organizations and their connections
 * as YAML in git. The tool builds `https://{AUTH0_DOMAIN}/api/v2` itself, so it runs as a real child process with
 * the `examples/deploy-cli/to-emulator.mjs` preload, which sends its `fetch` calls for that domain to the
 * emulator's loopback origin. It signs in with client credentials through the emulator's `/oauth/token`.
 *
 * Each import spends ~20 s of the tool's own CPU (it validates its schema), so this file runs under
 * `npm run test:long`, not `npm test`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { parse, stringify } from "yaml";
import { type RunningEmulator, type SeedData, startEmulator } from "../../src/emulator/index.js";
import { BIN, PROJECT_ROOT, run } from "../helpers/project.js";

const DOMAIN = "emulator.local";
const PRELOAD = path.join(PROJECT_ROOT, "examples/deploy-cli/to-emulator.mjs");
/** The recipe of docs/official-sdk.md: `examples/seed.json`, whose deploy-cli application has every scope. */
const SEED = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples/seed.json"), "utf8")) as SeedData;
const CLIENT = { client_id: "deploy-cli", client_secret: SEED.clients!.find((c) => c.client_id === "deploy-cli")!.client_secret! };
const ORG = "org_acme000000000001";
/** The seed's grant, associated with `acme`; and one more application with a grant no organization has yet. */
const MY_APP_GRANT = "cgr_myapp00000000001";
const BILLING_GRANT = "cgr_billing000000001";
const MORE: SeedData = {
  clients: [{ client_id: "billing-bot", name: "Billing Bot", app_type: "non_interactive" }],
  client_grants: [
    { id: BILLING_GRANT, client_id: "billing-bot", audience: "https://api.acme.example/", scope: ["read:invoices"], organization_usage: "allow" },
  ],
};

/**
 * The tenant as a team would keep it in git: the seed's organization with its connection and its application's
 * grant (unchanged), a new one with a database and an enterprise connection and another application's grant.
 */
function desiredTenant(changes: { globexConnections?: string[]; globexDisplayName?: string; acmeGrants?: string[] } = {}) {
  const globexConnections = changes.globexConnections ?? ["acme-db", "acme-okta"];
  return {
    connections: [
      {
        name: "acme-okta",
        strategy: "okta",
        display_name: "Acme Okta SSO",
        enabled_clients: [],
        is_domain_connection: false,
        show_as_button: false,
        options: { domain: "acme.okta.com", client_id: "0oa1b2c3d4e5f6g7h8i9" },
      },
    ],
    organizations: [
      {
        name: "acme",
        display_name: "Acme Corporation",
        connections: [{ name: "acme-db", assign_membership_on_login: true, show_as_button: true }],
        client_grants: (changes.acmeGrants ?? ["My App"]).map((client_id) => ({ client_id })),
      },
      {
        name: "globex",
        display_name: changes.globexDisplayName ?? "Globex",
        connections: globexConnections.map((name) => ({ name, assign_membership_on_login: name === "acme-okta", show_as_button: true })),
        client_grants: [{ client_id: "Billing Bot" }],
      },
    ],
  };
}

let emulator: RunningEmulator;
let dir: string;
/** Every Management API request the tool made, as `METHOD /path`. */
const requests: string[] = [];
/** The emulator's `unserved operation` lines (it runs in this process). */
let stderr: MockInstance<typeof console.error>;

/**
 * What deploy-cli 8.44.0 asks for beyond the spec, and reads a 404 on as "feature absent": SCIM, directory
 * provisioning, discovery domains and an organization's applications. Anything else unserved is a new dependency.
 */
const OPTIONAL_FEATURES = [
  /^GET \/api\/v2\/connections-directory-provisionings$/,
  /^GET \/api\/v2\/connections\/[^/]+\/scim-configuration$/,
  /^GET \/api\/v2\/organizations\/[^/]+\/discovery-domains$/,
  /^GET \/api\/v2\/organizations\/[^/]+\/clients$/,
];
const unservedBeyondOptional = () =>
  stderr.mock.calls
    .map((args) => String(args[0]))
    .filter((line) => line.startsWith("auth0-emulator: unserved operation "))
    .map((line) => line.slice("auth0-emulator: unserved operation ".length))
    .filter((call) => !OPTIONAL_FEATURES.some((pattern) => pattern.test(call)));

beforeAll(async () => {
  stderr = vi.spyOn(console, "error").mockImplementation(() => undefined);
  dir = mkdtempSync(path.join(tmpdir(), "deploy-cli-"));
  emulator = await startEmulator({
    domain: DOMAIN,
    seed: SEED,
    rateLimit: false,
    middleware: [
      (request, next) => {
        const { pathname } = new URL(request.url);
        if (pathname.startsWith("/api/v2/")) requests.push(`${request.method} ${pathname.slice("/api/v2".length)}`);
        return next(request);
      },
    ],
  });
  emulator.state.seed(MORE);
});

afterAll(async () => {
  stderr?.mockRestore();
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `a0deploy <command>` as a child process, pointed at the emulator by the preload only. */
async function a0deploy(command: "export" | "import", args: string[], config: Record<string, unknown> = {}) {
  const configFile = path.join(dir, `config-${command}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      AUTH0_DOMAIN: DOMAIN,
      AUTH0_CLIENT_ID: CLIENT.client_id,
      AUTH0_CLIENT_SECRET: CLIENT.client_secret,
      AUTH0_INCLUDED_ONLY: ["organizations", "connections"],
      ...config,
    }),
  );
  requests.length = 0;
  const result = await run(process.execPath, ["--import", PRELOAD, BIN("a0deploy"), command, "--config_file", configFile, ...args], {
    env: { AUTH0_DOMAIN: DOMAIN, AUTH0_EMULATOR_URL: emulator.url },
    timeoutMs: 180_000,
  });
  expect(result.code, `a0deploy ${command} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

async function importTenant(tenant: object, config: Record<string, unknown> = {}) {
  const file = path.join(dir, "tenant.yaml");
  writeFileSync(file, stringify(tenant));
  return a0deploy("import", ["--input_file", file], config);
}

const writes = () => requests.filter((r) => !r.startsWith("GET "));
/** Creations and deletions (the tool re-sends PATCHes for unchanged connections and links, which change nothing). */
const createsAndDeletes = () => requests.filter((r) => r.startsWith("POST ") || r.startsWith("DELETE "));
/** The ids of the client grants associated with the organization. */
const grantsOf = (organizationId: string) =>
  emulator.state
    .snapshot()
    .client_grants.filter((g) => g.organization_ids?.includes(organizationId))
    .map((g) => g.id);
const linksOf = (organizationId: string) =>
  emulator.state
    .snapshot()
    .links.filter((l) => l.organization_id === organizationId)
    .map((l) => ({ connection_id: l.connection_id, assign_membership_on_login: l.assign_membership_on_login }));

describe("auth0-deploy-cli against the emulator", { timeout: 240_000 }, () => {
  it("exports the organizations with their connections, and the enterprise connection", async () => {
    const out = path.join(dir, "export");
    const result = await a0deploy("export", ["--format", "yaml", "--output_folder", out]);
    expect(`${result.stdout}${result.stderr}`).not.toContain(CLIENT.client_secret);
    const tenant = parse(readFileSync(path.join(out, "tenant.yaml"), "utf8")) as {
      organizations: Array<{ name: string; display_name: string; connections: Array<{ name: string; assign_membership_on_login: boolean }> }>;
      connections: Array<{ name: string; strategy: string }>;
    };
    expect(tenant.organizations).toEqual([
      expect.objectContaining({
        name: "acme",
        display_name: "Acme Corporation",
        connections: [expect.objectContaining({ name: "acme-db", assign_membership_on_login: true })],
        client_grants: [{ client_id: "My App" }],
      }),
    ]);
    expect(tenant.connections.map((c) => [c.name, c.strategy])).toEqual([["acme-okta", "okta"]]);
    expect(requests).toEqual(expect.arrayContaining(["GET /connections", "GET /organizations", `GET /organizations/${ORG}/client-grants`]));
    expect(writes()).toEqual([]);
    expect(stderr.mock.calls.length).toBeGreaterThan(0);
    expect(unservedBeyondOptional()).toEqual([]);
  });

  it("imports a new organization with a database and an enterprise connection and a client grant, and a changed display_name", async () => {
    await importTenant(desiredTenant());
    const state = emulator.state.snapshot();
    expect(state.organizations.map((o) => o.name)).toEqual(["acme", "globex"]);
    expect(state.connections.find((c) => c.name === "acme-okta")?.display_name).toBe("Acme Okta SSO");
    const globex = state.organizations.find((o) => o.name === "globex")!;
    const idOf = (name: string) => state.connections.find((c) => c.name === name)!.id!;
    expect(linksOf(globex.id!)).toEqual([
      { connection_id: idOf("acme-db"), assign_membership_on_login: false },
      { connection_id: idOf("acme-okta"), assign_membership_on_login: true },
    ]);
    expect(linksOf(ORG)).toEqual([{ connection_id: idOf("acme-db"), assign_membership_on_login: true }]);
    expect(grantsOf(globex.id!)).toEqual([BILLING_GRANT]);
    expect(grantsOf(ORG)).toEqual([MY_APP_GRANT]);
    expect(requests).toContain(`POST /organizations/${globex.id}/client-grants`);
    expect(unservedBeyondOptional()).toEqual([]);
  });

  it("changes nothing when the same import runs again", async () => {
    const before = emulator.state.snapshot();
    await importTenant(desiredTenant());
    expect(emulator.state.snapshot()).toEqual(before);
    expect(createsAndDeletes()).toEqual([]);
  });

  it("removes only the link and the client grant left out of the file when deletes are allowed", async () => {
    const before = emulator.state.snapshot();
    const globex = before.organizations.find((o) => o.name === "globex")!;
    const okta = before.connections.find((c) => c.name === "acme-okta")!.id!;
    await importTenant(desiredTenant({ globexConnections: ["acme-db"], acmeGrants: [] }), { AUTH0_ALLOW_DELETE: true });
    const after = emulator.state.snapshot();
    expect(after.links).toEqual(before.links.filter((l) => !(l.organization_id === globex.id && l.connection_id === okta)));
    expect(after.organizations).toEqual(before.organizations);
    expect(after.connections).toEqual(before.connections);
    expect(grantsOf(ORG)).toEqual([]);
    expect(grantsOf(globex.id!)).toEqual([BILLING_GRANT]);
    expect(createsAndDeletes().sort()).toEqual(
      [`DELETE /organizations/${globex.id}/connections/${okta}`, `DELETE /organizations/${ORG}/client-grants/${MY_APP_GRANT}`].sort(),
    );
  });

  it("renames an organization (its display name) in place, keeping its id and links", async () => {
    const before = emulator.state.snapshot();
    const globex = before.organizations.find((o) => o.name === "globex")!;
    await importTenant(desiredTenant({ globexConnections: ["acme-db"], acmeGrants: [], globexDisplayName: "Globex Corporation" }));
    const after = emulator.state.snapshot();
    expect(after.organizations.find((o) => o.id === globex.id)).toEqual({ ...globex, display_name: "Globex Corporation" });
    expect(after.links).toEqual(before.links);
    expect(after.client_grants).toEqual(before.client_grants);
    expect(writes()).toContain(`PATCH /organizations/${globex.id}`);
    expect(createsAndDeletes()).toEqual([]);
  });
});
