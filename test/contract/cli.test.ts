/** The contract command's arguments, exit codes and messages when it cannot run. */
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main, parseContractArguments } from "../../src/contract/cli.js";
import { checkDestination } from "../../src/contract/outbound.js";
import { isLoopbackHostname as isLoopbackHost } from "../../src/shared/loopback.js";
import { NPM, PROJECT_ROOT, run } from "../helpers/project.js";
import { collectLog, startTestEmulator, useTempDir } from "./helpers.js";
import { isWellFormedXml } from "./xml.js";

async function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = collectLog();
  const err = collectLog();
  const code = await main(args, env, { out: out.log, err: err.log });
  return { code, out: out.text(), err: err.text() };
}

describe("contract command line", () => {
  const tempDir = useTempDir("contract-cli-run-");

  it("prints no warning of Dredd's dependencies, on Node 22 and later either (where util._extend warns)", async () => {
    const preload = path.join(PROJECT_ROOT, "test", "fixtures", "node", "util-extend-deprecated.cjs");
    const result = await run(NPM, ["run", "--silent", "contract", "--", "--journal", path.join(tempDir(), "journal")], {
      env: { NODE_OPTIONS: `--require ${preload}` },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\d+ transactions: \d+ ran, \d+ passed, 0 failed/);
    expect(result.stderr).not.toMatch(/Warning|DEP0060|padLevels/);
    expect(result.stdout).not.toMatch(/Warning|DEP0060|padLevels/);
    // The preload does make Node warn (so the silence above is the command's doing, not the preload's failure).
    const other = await run(process.execPath, ["--require", preload, "-e", "require('node:util')._extend({}, {})"]);
    expect(other.stderr).toContain("DEP0060");
  });

  it("prints usage with --help", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("--base-url URL");
  });

  it.each([
    [["--bogus"], "Unknown option '--bogus'"],
    [["--target", "staging"], "unknown --target 'staging'"],
    [["--target", "prism", "--base-url", "http://127.0.0.1:1/api/v2"], "choose one target"],
    [["--base-url", "http://127.0.0.1:1/api/v2"], "--base-url needs a token"],
    [["--max-rps", "0"], "--max-rps must be a number above 0"],
    [["--token-file", "/nonexistent/token"], "cannot read --token-file /nonexistent/token: ENOENT"],
    [["--base-url", "https://tenant.eu.auth0.com/api/v2", "--token", "t"], "without --live a run only talks to loopback hosts"],
    [["--live"], "--live needs AUTH0_DOMAIN"],
    [["--spec", "/nonexistent/openapi.json"], "does not exist"],
  ])("exits 2 with a clear message for %j", async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("exits 1 with a clear message when the target is unreachable", async () => {
    // A port that was free a moment ago: nothing listens there.
    const emulator = await startTestEmulator();
    const baseUrl = emulator.baseUrl;
    await emulator.close();
    const result = await runCli(["--base-url", baseUrl, "--token", "t"]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`cannot reach ${baseUrl} (ECONNREFUSED)`);
  });

  it("exits 1 when the token is rejected, without printing the token", async () => {
    const emulator = await startTestEmulator();
    try {
      const result = await runCli(["--base-url", emulator.baseUrl, "--token", "not-a-real-token-s3cr3t"]);
      expect(result.code).toBe(1);
      expect(result.err).toContain("rejected the token (401)");
      expect(result.out + result.err).not.toContain("s3cr3t");
    } finally {
      await emulator.close();
    }
  });
});

describe("contract command line: usage errors before any work", () => {
  const tempDir = useTempDir("contract-cli-");

  it("refuses --junit pointing to a directory", async () => {
    const result = await runCli(["--junit", tempDir()]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`--junit ${tempDir()} is a directory`);
  });

  it("refuses --junit where nothing can be written", async () => {
    const file = path.join(tempDir(), "a-file");
    await writeFile(file, "");
    const result = await runCli(["--junit", path.join(file, "reports", "contract.xml")]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--junit .*contract\.xml cannot be written \((ENOTDIR|EEXIST)\)/);
  });

  it("suggests /api/v2 when the base URL's probe answers 404", async () => {
    const emulator = await startTestEmulator();
    try {
      const result = await runCli(["--base-url", emulator.url], { AUTH0_TOKEN: await emulator.issueToken() });
      expect(result.code, result.err).toBe(2);
      expect(result.err).toContain(`did you mean ${emulator.url}/api/v2?`);
      expect(result.err).not.toContain("eyJ");
    } finally {
      await emulator.close();
    }
  });

  it("reads the token from --token-file and from stdin (--token -)", async () => {
    const file = path.join(tempDir(), "token");
    await writeFile(file, "from-a-file-0123456789\n");
    const parsed = parseContractArguments(["--base-url", "http://127.0.0.1:1/api/v2", "--token-file", file], {});
    expect(parsed.options.token).toBe("from-a-file-0123456789");
    const piped = parseContractArguments(["--base-url", "http://127.0.0.1:1/api/v2", "--token", "-"], {}, () => "from-stdin-0123456789\n");
    expect(piped.options.token).toBe("from-stdin-0123456789");
  });

  it("leaves a well-formed JUnit report with an error when the run cannot go on", async () => {
    const emulator = await startTestEmulator();
    const baseUrl = emulator.baseUrl;
    await emulator.close();
    const junit = path.join(tempDir(), "unreachable.xml");
    const result = await runCli(["--base-url", baseUrl, "--junit", junit], { AUTH0_TOKEN: "t" });
    expect(result.code).toBe(1);
    const report = await readFile(junit, "utf8");
    expect(isWellFormedXml(report), report).toBe(true);
    expect(report).toContain(`<error message="the run could not go on: cannot reach ${baseUrl} (ECONNREFUSED)"`);
  });

  it("says there is nothing to clean up on Prism, which keeps no state", async () => {
    const result = await runCli(["--cleanup", "--target", "prism"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("Nothing to remove: Prism (mock of the bundled spec) keeps no state between runs.");
  });
});

describe("loopback means loopback", () => {
  it("counts all of 127.0.0.0/8 and ::1 as loopback, and nothing else", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "127.255.255.254", "[::1]", "::1", "localhost"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["128.0.0.1", "10.0.0.1", "127.example.com", "tenant.eu.auth0.com", "[::2]"]) expect(isLoopbackHost(host), host).toBe(false);
  });

  it("with --live, sends nothing away from the tenant's domain", () => {
    const live = { live: true, tenantHost: "tenant.eu.auth0.com" };
    expect(() => checkDestination(new URL("https://tenant.eu.auth0.com/api/v2/connections"), live)).not.toThrow();
    expect(() => checkDestination(new URL("https://tenant.eu.auth0.com.evil.example/api/v2"), live)).toThrow("a --live run only talks to tenant.eu.auth0.com");
    expect(() => checkDestination(new URL("http://127.0.0.1:8787/api/v2"), live)).toThrow("a --live run only talks to tenant.eu.auth0.com");
    expect(() => checkDestination(new URL("https://tenant.eu.auth0.com/api/v2"), { live: false })).toThrow("without --live a run only talks to loopback hosts");
  });

  it("follows no redirect: a loopback server redirecting elsewhere fails the run, naming where it pointed", async () => {
    let reachedElsewhere = 0;
    const elsewhere = createServer((_request, response) => {
      reachedElsewhere += 1;
      response.end("{}");
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
    const elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    const redirecting = createServer((request, response) => {
      response.writeHead(307, { location: `${elsewhereUrl}${request.url}` });
      response.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/api/v2`;
      // A random-looking token, as real ones are: any 8 characters of a token are redacted, and a token made of words would redact them.
      const result = await runCli(["--base-url", baseUrl], { AUTH0_TOKEN: "tK9vQ2xL7mP4wR8zN3bY6cJ1" });
      expect(result.code).toBe(1);
      expect(result.err).toContain(
        `was redirected (HTTP 307) to ${elsewhereUrl}/api/v2/organizations/org_contracttestprobe0; a contract run follows no redirects`,
      );
      expect(reachedElsewhere).toBe(0);
    } finally {
      elsewhere.close();
      redirecting.close();
    }
  });
});

/** Issue 21: the contract command on a user's first day. */
describe("contract command line: no trap on the way", () => {
  const tempDir = useTempDir("contract-cli-21-");

  it("prints its help as written, whatever secrets are in the environment", async () => {
    const result = await runCli(["--help"], { AUTH0_TOKEN: "a-token-value-0123456789", AUTH0_CLIENT_SECRET: "a-secret-value-0123456789" });
    expect(result.out).toContain("AUTH0_TOKEN              the bearer token");
    expect(result.out).not.toContain("[redacted]");
  });

  it("reports a file it cannot read in one line, without the usage text", async () => {
    const result = await runCli(["--token-file", "/nonexistent/token"]);
    expect(result.code).toBe(2);
    expect(result.err.trim().split("\n")).toHaveLength(1);
    expect(result.err).not.toContain("Usage:");
  });

  it("creates the --junit file's missing directories", async () => {
    const emulator = await startTestEmulator();
    const baseUrl = emulator.baseUrl;
    await emulator.close();
    const junit = path.join(tempDir(), "reports", "nested", "contract.xml");
    const result = await runCli(["--base-url", baseUrl, "--junit", junit], { AUTH0_TOKEN: "t" });
    expect(result.code, result.err).toBe(1);
    expect(isWellFormedXml(await readFile(junit, "utf8"))).toBe(true);
  });

  it("mints its own token on a running emulator given no credentials, and logs in with client credentials given them", async () => {
    const app = { client_id: "contract-app", client_secret: "contract-app-secret-0123456789", name: "contract" };
    const emulator = await startTestEmulator({ seed: { clients: [app] } });
    try {
      const minted = await runCli(["--base-url", emulator.baseUrl, "--journal", path.join(tempDir(), "journal-a")]);
      expect(minted.code, minted.err).toBe(0);
      expect(minted.out).toMatch(/\d+ transactions: \d+ ran, \d+ passed, 0 failed/);
      const credentials = await runCli(["--base-url", emulator.baseUrl, "--journal", path.join(tempDir(), "journal-b")], {
        AUTH0_CLIENT_ID: app.client_id,
        AUTH0_CLIENT_SECRET: app.client_secret,
      });
      expect(credentials.code, credentials.err).toBe(0);
    } finally {
      await emulator.close();
    }
  }, 240_000);

  it("logs in with client credentials at a tenant's own token endpoint, beside its base URL (one address model)", async () => {
    const app = { client_id: "tenant-app", client_secret: "tenant-app-secret-0123456789", name: "tenant app" };
    const emulator = await startTestEmulator();
    try {
      // Only tenant "b" knows the application: a token asked for at the emulator's own /oauth/token is refused.
      const tenant = emulator.tenant("b", { seed: { clients: [app] } });
      const result = await runCli(["--base-url", tenant.baseUrl, "--journal", path.join(tempDir(), "journal-tenant-credentials")], {
        AUTH0_CLIENT_ID: app.client_id,
        AUTH0_CLIENT_SECRET: app.client_secret,
      });
      expect(result.code, result.err).toBe(0);
      expect(result.out).toMatch(/\d+ transactions: \d+ ran, \d+ passed, 0 failed/);
    } finally {
      await emulator.close();
    }
  }, 240_000);

  it("checks one tenant of a running emulator, at its own base URL", async () => {
    const emulator = await startTestEmulator();
    try {
      const tenant = emulator.tenant("contract-run");
      // The emulator's own tenant fails everything: a run that strayed there would fail.
      emulator.faults.set({ status: { code: 500 } });
      const result = await runCli(["--base-url", tenant.baseUrl, "--journal", path.join(tempDir(), "journal-tenant")]);
      expect(result.code, result.err).toBe(0);
    } finally {
      await emulator.close();
    }
  }, 180_000);
});
