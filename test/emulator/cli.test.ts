/** `npm run emulator`: spawned for real, read, called over HTTP, stopped with SIGTERM by PID. */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/project.js";
import { builtCommand, sharedBuild } from "../helpers/shared-build.js";
import { callWith, type ResponseLog, validatingFetch } from "./helpers.js";

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, "SIGKILL");
});

// The command's code is the same either way (src/emulator/command.ts); `npm run emulator` is started as such once,
// the other cases start the run's shared build of it (`auth0-emulator`), which skips compiling TypeScript each time.
let built: string;
beforeAll(async () => {
  await sharedBuild();
  built = builtCommand("auth0-emulator");
}, 300_000);

/** Runs the built `auth0-emulator` — or, with `viaScript`, scripts/emulator.ts (tsx as a loader) — in one Node process, so the PID we signal is the emulator's. */
function startCli(args: string[], env: Record<string, string> = {}, viaScript = false) {
  const entry = viaScript ? ["--import", "tsx", "scripts/emulator.ts"] : [built];
  const child = spawn(process.execPath, [...entry, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: "1", ...env } });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const output = () => ({ stdout, stderr });
  const waitFor = async (pattern: RegExp, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = pattern.exec(stdout);
      if (match) return match;
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`CLI did not print ${pattern}: ${stdout}\n${stderr}`);
  };
  const exitCode = (timeoutMs = 20_000) => Promise.race([exited, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), timeoutMs))]);
  return { child, waitFor, exitCode, output };
}

describe("npm run emulator", () => {
  it("prints the base URL and a ready token, serves the seed, and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emulator-cli-"));
    const seedFile = path.join(dir, "seed.json");
    writeFileSync(seedFile, JSON.stringify({ organizations: [{ id: "org_cli0000000000001", name: "acme" }] }));

    const cli = startCli(["--port", "0", "--seed", seedFile], {}, true);
    const [, baseUrl] = (await cli.waitFor(/Base URL:\s+(http:\/\/127\.0\.0\.1:\d+\/api\/v2)/)) ?? [];
    const [, token] = (await cli.waitFor(/\n(eyJ[\w-]+\.[\w-]+\.[\w-]+)\n/)) ?? [];
    expect(baseUrl).toBeDefined();

    const log: ResponseLog = { violations: [], checked: 0 };
    const httpFetch = validatingFetch((request) => fetch(request), log);
    const origin = baseUrl!.replace(/\/api\/v2$/, "");
    const org = await callWith(httpFetch, origin, token!, "GET", "/organizations/org_cli0000000000001");
    expect(org.status).toBe(200);
    expect(org.body.name).toBe("acme");
    expect(log.violations).toEqual([]);

    process.kill(cli.child.pid!, "SIGTERM");
    expect(await cli.exitCode()).toBe(0);
    expect(cli.output().stdout).toMatch(/Received SIGTERM, shutting down/);
    await expect(fetch(`${baseUrl}/organizations/x`)).rejects.toThrow();
  });

  it("says who may use the admin API; --admin-token makes it required", async () => {
    const loopback = startCli(["--port", "0", "--no-rate-limit"]);
    await loopback.waitFor(/Admin API: http:\/\/127\.0\.0\.1:\d+\/__emulator\/state \(loopback callers only\)/);
    // The dashboard's address, fetched as a browser would: the page itself.
    const [, dashboard] = (await loopback.waitFor(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/__emulator\/) /)) ?? [];
    const page = await fetch(dashboard!);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain('<script src="/__emulator/dashboard.js"></script>');
    process.kill(loopback.child.pid!, "SIGTERM");

    const secret = "cli-admin-token-0123456789";
    const guarded = startCli(["--port", "0", "--admin-token", secret]);
    const [, origin] = (await guarded.waitFor(/Admin API: (http:\/\/127\.0\.0\.1:\d+)\/__emulator\/state \(send Authorization: Bearer <admin token>\)/)) ?? [];
    expect((await fetch(`${origin}/__emulator/state`)).status).toBe(403);
    expect((await fetch(`${origin}/__emulator/state`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    expect(guarded.output().stdout).not.toContain(secret);
    process.kill(guarded.child.pid!, "SIGTERM");

    const fromEnvironment = startCli(["--port", "0"], { AUTH0_EMULATOR_ADMIN_TOKEN: secret });
    const [, envOrigin] = (await fromEnvironment.waitFor(/Admin API: (http:\/\/127\.0\.0\.1:\d+)\/__emulator\/state \(send Authorization: Bearer/)) ?? [];
    expect((await fetch(`${envOrigin}/__emulator/state`)).status).toBe(403);
    expect((await fetch(`${envOrigin}/__emulator/state`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    process.kill(fromEnvironment.child.pid!, "SIGTERM");
    expect(await loopback.exitCode()).toBe(0);
    expect(await guarded.exitCode()).toBe(0);
    expect(await fromEnvironment.exitCode()).toBe(0);
  });

  it("takes the admin token from a file or the environment; on the command line it warns (process lists, npm's echo)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emulator-admin-token-"));
    const secret = "Zx8Qm3Lr7Tv2Kp9Wn4Hd6Jc1";
    const file = path.join(dir, "admin-token");
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    const fromFile = startCli(["--port", "0", "--admin-token-file", file]);
    const [, origin] = (await fromFile.waitFor(/Admin API: (http:\/\/127\.0\.0\.1:\d+)\/__emulator\/state \(send Authorization: Bearer <admin token>\)/)) ?? [];
    expect((await fetch(`${origin}/__emulator/state`)).status).toBe(403);
    expect((await fetch(`${origin}/__emulator/state`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    expect(fromFile.output().stderr).toBe("");
    process.kill(fromFile.child.pid!, "SIGTERM");
    expect(await fromFile.exitCode()).toBe(0);

    const onCommandLine = startCli(["--port", "0", "--admin-token", secret]);
    await onCommandLine.waitFor(/Admin API: /);
    expect(onCommandLine.output().stderr).toMatch(
      /--admin-token on the command line can be read by other local users .* use --admin-token-file FILE or AUTH0_EMULATOR_ADMIN_TOKEN/,
    );
    expect(onCommandLine.output().stderr + onCommandLine.output().stdout).not.toContain(secret);
    process.kill(onCommandLine.child.pid!, "SIGTERM");
    expect(await onCommandLine.exitCode()).toBe(0);

    const both = startCli(["--admin-token", secret, "--admin-token-file", file]);
    expect(await both.exitCode()).toBe(2);
    expect(both.output().stderr).toMatch(/give --admin-token or --admin-token-file, not both/);
    const help = startCli(["--help"]);
    expect(await help.exitCode()).toBe(0);
    expect(help.output().stdout).toMatch(/--admin-token-file <file>/);
  });

  it("stops on SIGINT too", async () => {
    const cli = startCli(["--port", "0", "--no-rate-limit"]);
    await cli.waitFor(/Base URL:/);
    process.kill(cli.child.pid!, "SIGINT");
    expect(await cli.exitCode()).toBe(0);
  });

  it("bad arguments → a clear message and exit code 2, never a stack trace", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--port", "eighty"], /--port must be a whole number/],
      [["--port", "70000"], /--port must be a whole number from 0 to 65535/],
      [["--bogus"], /Unknown option '--bogus'/],
      [["--rate-limit", "fast"], /--rate-limit must look like 50\/1000/],
      [["--seed", "/nonexistent/seed.json"], /Cannot read the seed file/],
      [["--admin-token", "short"], /The admin token must be a string of at least 16 characters/],
      [["--limits", "platinum"], /--limits "platinum" is neither a preset \(free, self-service, enterprise, .*\) nor a \.json file/],
      [["--limits", "free", "--rate-limit", "2/1000"], /use only one of --limits, --rate-limit/],
      [["--limits", "/nonexistent/limits.json"], /Cannot read the limits file/],
      [["--rate-limit", "0/1000"], /--rate-limit must look like 50\/1000/],
    ];
    const runs = cases.map(([args]) => startCli(args));
    const codes = await Promise.all(runs.map((cli) => cli.exitCode()));
    cases.forEach(([args, message], i) => {
      expect(codes[i], args.join(" ")).toBe(2);
      expect(runs[i]!.output().stderr).toMatch(message);
      expect(runs[i]!.output().stderr).not.toMatch(/\n\s+at /);
    });
  });

  it("an invalid seed file or a port in use → exit code 2 with the reason", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emulator-cli-"));
    const seedFile = path.join(dir, "seed.json");
    writeFileSync(seedFile, JSON.stringify({ organizations: [{ nme: "typo" }] }));
    const badSeed = startCli(["--port", "0", "--seed", seedFile]);
    expect(await badSeed.exitCode()).toBe(2);
    expect(badSeed.output().stderr).toMatch(/The seed is invalid: .*organizations\[0\]/);

    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = startCli(["--port", String(port)]);
      expect(await busy.exitCode()).toBe(2);
      expect(busy.output().stderr).toMatch(new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
    } finally {
      blocker.close();
    }
  });
});

describe("npm run emulator: unserved operations", () => {
  it("--limits takes a preset or a file of one's own: the buckets are announced, a bad file is exit 2 naming the field", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emulator-cli-"));
    const good = path.join(dir, "limits.json");
    writeFileSync(
      good,
      JSON.stringify({
        tenant: { burst: 10, rate: "2/second" },
        groups: [{ name: "link-writes", burst: 5, rate: "25/minute", operations: ["POST /organizations/{id}/connections"] }],
      }),
    );
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ groups: [{ name: "x", burst: 5, rate: "25/minute", operations: ["getUsers"] }] }));

    const preset = startCli(["--port", "0", "--limits", "enterprise-non-production"]);
    expect((await preset.waitFor(/Rate limits: (.*)\n/))?.[1]).toMatch(
      /^enterprise-non-production: tenant bucket 10 burst, 2\/1000ms, \d+ endpoint group\(s\) — GET \/__emulator\/limits$/,
    );
    const own = startCli(["--port", "0", "--limits", good]);
    expect((await own.waitFor(/Rate limits: (.*)\n/))?.[1]).toBe("custom: tenant bucket 10 burst, 2/1000ms, 1 endpoint group(s) — GET /__emulator/limits");
    for (const cli of [preset, own]) {
      process.kill(cli.child.pid!, "SIGTERM");
      expect(await cli.exitCode()).toBe(0);
    }
    const refused = startCli(["--port", "0", "--limits", bad]);
    expect(await refused.exitCode()).toBe(2);
    expect(refused.output().stderr).toMatch(
      /The limits file .*bad\.json is not usable: limits\.groups\[0\] \(x\)\.operations: "getUsers" is not an operation of the spec/,
    );
    expect(refused.output().stderr).not.toMatch(/\n\s+at /);
  });

  it("prints `unserved operation METHOD PATH` on stderr for a path it does not serve, and answers Auth0's 404", async () => {
    const cli = startCli(["--port", "0"]);
    const [, baseUrl] = (await cli.waitFor(/Base URL:\s+(http:\/\/127\.0\.0\.1:\d+\/api\/v2)/)) ?? [];
    const [, token] = (await cli.waitFor(/\n(eyJ[\w-]+\.[\w-]+\.[\w-]+)\n/)) ?? [];
    const res = await fetch(`${baseUrl}/users?q=x`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ statusCode: 404, error: "Not Found", message: "Not Found" });
    for (let i = 0; i < 100 && !cli.output().stderr.includes("unserved"); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cli.output().stderr).toContain("unserved operation GET /api/v2/users\n");
    cli.child.kill("SIGTERM");
    expect(await cli.exitCode()).toBe(0);
  });
});

describe("the emulator's command line follows the project's one convention", () => {
  it("reads a negative number as the option's value and refuses it with the shared usage error", async () => {
    const { emulatorCommand } = await import("../../src/emulator/command.js");
    const err: string[] = [];
    const out: string[] = [];
    const io = { out: (text: string) => out.push(text), err: (text: string) => err.push(text) };
    expect(await emulatorCommand(["--port", "-1"], "auth0-emulator", io)).toBe(2);
    expect(err.join("\n").split("\n")[0]).toBe('auth0-emulator: --port must be a whole number from 0 to 65535, not "-1"');
    expect(await emulatorCommand(["-h"], "auth0-emulator", io)).toBe(0);
    expect(out.join("\n")).toContain("Usage: auth0-emulator [options]");
  });
});

/** Issue 21: the command around a test run (`exec`), the environment for other setups, readiness, and no orphans. */
describe("auth0-emulator for test runs", () => {
  const envOf = (text: string) => Object.fromEntries([...text.matchAll(/^(AUTH0_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  const refused = async (url: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const answered = await fetch(`${url}/__emulator/ready`, { signal: AbortSignal.timeout(500) }).then(
        () => true,
        () => false,
      );
      if (!answered) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  };

  it("--print-env prints what a test run needs, the example seed is built in, and /__emulator/ready answers", async () => {
    const cli = startCli(["--port", "0", "--seed", "example", "--print-env"]);
    await cli.waitFor(/^AUTH0_TOKEN=\S+$/m);
    const env = envOf(cli.output().stdout);
    expect(Object.keys(env).sort()).toEqual(["AUTH0_AUDIENCE", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_DOMAIN", "AUTH0_EMULATOR_URL", "AUTH0_TOKEN"]);
    expect(env).toMatchObject({ AUTH0_DOMAIN: "emulator.local", AUTH0_AUDIENCE: "https://emulator.local/api/v2/", AUTH0_CLIENT_ID: "my-app" });
    // Only the variables on stdout (the banner goes to stderr), so the output can be sourced or parsed.
    expect(cli.output().stdout.trim().split("\n")).toHaveLength(6);
    const ready = await fetch(`${env.AUTH0_EMULATOR_URL}/__emulator/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, domain: "emulator.local", audience: "https://emulator.local/api/v2/" });
    const organizations = await fetch(`${env.AUTH0_EMULATOR_URL}/api/v2/organizations`, { headers: { authorization: `Bearer ${env.AUTH0_TOKEN}` } });
    expect(((await organizations.json()) as unknown[]).length).toBeGreaterThan(0);
    cli.child.kill("SIGTERM");
    expect(await cli.exitCode()).toBe(0);
  });

  it("the start-up banner names the audience", async () => {
    const cli = startCli(["--port", "0"]);
    await cli.waitFor(/Audience:\s+https:\/\/emulator\.local\/api\/v2\//);
    cli.child.kill("SIGTERM");
    expect(await cli.exitCode()).toBe(0);
  });

  it("exec runs the command with the emulator's environment, exits with its status and stops the emulator", async () => {
    const script = `
      const env = process.env;
      const token = await fetch(env.AUTH0_EMULATOR_URL + "/oauth/token", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ grant_type: "client_credentials", client_id: env.AUTH0_CLIENT_ID, client_secret: env.AUTH0_CLIENT_SECRET, audience: env.AUTH0_AUDIENCE }) });
      const list = await fetch(env.AUTH0_EMULATOR_URL + "/api/v2/organizations", { headers: { authorization: "Bearer " + env.AUTH0_TOKEN } });
      console.log("url=" + env.AUTH0_EMULATOR_URL + " token=" + token.status + " list=" + list.status + " domain=" + env.AUTH0_DOMAIN);
      process.exit(7);`;
    const cli = startCli(["exec", "--seed", "example", "--", process.execPath, "--input-type=module", "-e", script]);
    expect(await cli.exitCode()).toBe(7);
    const [, url] = /url=(\S+) token=200 list=200 domain=emulator\.local/.exec(cli.output().stdout) ?? [];
    expect(url, cli.output().stdout + cli.output().stderr).toBeDefined();
    expect(await refused(url!)).toBe(true);
  });

  it("exec runs a single argument through the shell, and a missing command exits 127 without the usage text", async () => {
    const shell = startCli(["exec", "--", 'test -n "$AUTH0_TOKEN" && exit 5']);
    expect(await shell.exitCode()).toBe(5);
    const missing = startCli(["exec", "--", "no-such-command-aoct", "x"]);
    expect(await missing.exitCode()).toBe(127);
    expect(missing.output().stderr).toMatch(/auth0-emulator: cannot run no-such-command-aoct: ENOENT/);
    expect(missing.output().stderr).not.toMatch(/Usage:/);
    const none = startCli(["exec"]);
    expect(await none.exitCode()).toBe(2);
    expect(none.output().stderr).toMatch(/exec needs a command after --/);
  });

  it("exec forwards SIGTERM to the command and exits with its status (143 when it dies of the signal)", async () => {
    const handles = startCli([
      "exec",
      "--",
      process.execPath,
      "-e",
      "process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(0); }); console.log('child ready ' + process.env.AUTH0_EMULATOR_URL); setInterval(() => {}, 1000);",
    ]);
    const [, url] = (await handles.waitFor(/child ready (\S+)/)) ?? [];
    process.kill(handles.child.pid!, "SIGTERM");
    expect(await handles.exitCode()).toBe(0);
    expect(handles.output().stdout).toContain("child got SIGTERM");
    expect(await refused(url!)).toBe(true);

    const dies = startCli(["exec", "--", process.execPath, "-e", "console.log('child ready'); setInterval(() => {}, 1000);"]);
    await dies.waitFor(/child ready/);
    process.kill(dies.child.pid!, "SIGTERM");
    expect(await dies.exitCode()).toBe(143);
  });

  it("stops when the process that launched it goes away without passing a signal on (npx … & kill $!)", async () => {
    // A launcher that, like npx, runs the command as a child and does not pass SIGTERM on; in a process group of its own.
    const launcher = `sh -c '"${process.execPath}" "${built}" --port 0 --print-env; true' & echo "launcher=$!"; wait`;
    const group = spawn("bash", ["-c", launcher], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    group.stdout.on("data", (chunk) => (stdout += String(chunk)));
    try {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && !/AUTH0_EMULATOR_URL=/.test(stdout)) await new Promise((resolve) => setTimeout(resolve, 50));
      const url = /AUTH0_EMULATOR_URL=(\S+)/.exec(stdout)?.[1];
      const launcherPid = Number(/launcher=(\d+)/.exec(stdout)?.[1]);
      expect(url, stdout).toBeDefined();
      expect((await fetch(`${url}/__emulator/ready`)).status).toBe(200);
      process.kill(launcherPid, "SIGTERM");
      expect(await refused(url!)).toBe(true);
    } finally {
      try {
        process.kill(-group.pid!, "SIGKILL");
      } catch {
        // the group is gone already
      }
    }
  });

  it("a bad seed file or a busy port: one line, no usage text", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emulator-cli-"));
    const seedFile = path.join(dir, "seed.json");
    writeFileSync(seedFile, JSON.stringify({ organizations: [{ nme: "typo" }] }));
    const badSeed = startCli(["--port", "0", "--seed", seedFile]);
    expect(await badSeed.exitCode()).toBe(2);
    expect(badSeed.output().stderr.trim().split("\n")).toHaveLength(1);
    expect(badSeed.output().stderr).not.toMatch(/Usage:/);
  });
});
