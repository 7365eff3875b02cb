/**
 * No token, narrow token or client secret in anything a run writes or prints: a failing run (so that failure
 * reports are written) started as a user would — `npm run contract` with the credentials in the environment, a
 * JUnit report requested — and then every file it wrote, its stdout and stderr (npm's echo of the command
 * included) are searched for the secrets and for anything shaped like a token.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allSpecScopes, type RunningEmulator } from "../../src/emulator/index.js";
import { startNpmContract, startTestEmulator } from "./helpers.js";
import { MUTANTS } from "./mutants.js";
import { isWellFormedXml } from "./xml.js";

const CLIENT_ID = "contractSecretsTestClient";
const CLIENT_SECRET = "s3cr3t-client-secret-7d1e9c0b5a2f48e6";

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe("secrets stay out of every report", () => {
  let emulator: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    const broken = MUTANTS.filter((m) => /wrong type|required response field|statusCode/.test(m.name)).map((m) => m.middleware);
    emulator = await startTestEmulator({ middleware: broken, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: allSpecScopes() }] });
    dir = await mkdtemp(path.join(tmpdir(), "contract-secrets-"));
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["a token", async () => ({ AUTH0_TOKEN: await emulator.issueToken() })],
    ["client credentials", async () => ({ AUTH0_CLIENT_ID: CLIENT_ID, AUTH0_CLIENT_SECRET: CLIENT_SECRET, AUTH0_AUDIENCE: "https://emulator.local/api/v2/" })],
  ])("with %s: a failing run with --junit writes and prints no secret", async (name, credentials) => {
    const env = { ...(await credentials()), AUTH0_NARROW_TOKEN: await emulator.issueToken({ scopes: ["read:connections"] }) };
    const out = path.join(dir, name.replace(/\W/g, "-"));
    const junit = path.join(out, "reports", "contract.xml");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.dirname(junit), { recursive: true });
    const run = startNpmContract(["--base-url", emulator.baseUrl, "--junit", junit, "--journal", path.join(out, "journal")], env, undefined, { silent: false });
    const { code } = await run.exited;
    expect(code, run.output()).toBe(1);
    expect(run.stdout()).toContain("> node --import tsx scripts/contract.ts --base-url"); // npm's echo is part of what is searched
    expect(run.output()).toMatch(/✗ GET \(200\) \/organizations\/\{id\}/);

    const report = readFileSync(junit, "utf8");
    expect(isWellFormedXml(report), report).toBe(true);
    expect(report).toMatch(/<failure message=/);
    const secrets = [env.AUTH0_NARROW_TOKEN, CLIENT_SECRET, ...("AUTH0_TOKEN" in env ? [env.AUTH0_TOKEN] : [])];
    for (const [where, text] of [["stdout", run.stdout()], ["stderr", run.stderr()], ...filesUnder(out).map((f) => [f, readFileSync(f, "utf8")])] as const) {
      for (const secret of secrets) expect(text.includes(secret), `a secret in ${where}`).toBe(false);
      // Tokens the run obtained or minted itself, and bearer headers, are covered by their shape.
      expect(text, where).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
      expect(text, where).not.toMatch(/Bearer (?!\[redacted\])/);
    }
  });
});
