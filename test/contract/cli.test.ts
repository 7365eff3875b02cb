/** The contract command's arguments, exit codes and messages when it cannot run. */
import { describe, expect, it } from "vitest";
import { main } from "../../src/contract/cli.js";
import { collectLog, startTestEmulator } from "./helpers.js";

async function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = collectLog();
  const err = collectLog();
  const code = await main(args, env, { out: out.log, err: err.log });
  return { code, out: out.text(), err: err.text() };
}

describe("contract command line", () => {
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
