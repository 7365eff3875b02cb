/**
 * `--state FILE` as a person uses it: `npm run emulator` in its own process group, changed over HTTP, stopped with
 * Ctrl-C (SIGINT to the whole group, as a terminal sends it) and started again; the built command killed with
 * SIGKILL in the middle of a stream of changes, whose file must still load; and exit 2 for a file that is not a
 * tenant.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { NPM, PROJECT_ROOT } from "../helpers/project.js";
import { builtCommand, sharedBuild } from "../helpers/shared-build.js";

const groups: ChildProcess[] = [];
afterEach(() => {
  for (const child of groups.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
});

let built: string;
beforeAll(async () => {
  await sharedBuild();
  built = builtCommand("auth0-emulator");
}, 300_000);

const SEED = {
  organizations: [{ id: "org_state000000000001", name: "acme" }],
  connections: [{ id: "con_state000000000001", name: "acme-db", strategy: "auth0" }],
};

/** Starts the command as the leader of a new process group (what a terminal's job is), and reads its output. */
function startGroup(command: string, args: string[]) {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, detached: true, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  groups.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const base = /Base URL:\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/v2/.exec(stdout)?.[1];
      const token = /\n(eyJ[\w-]+\.[\w-]+\.[\w-]+)\n/.exec(stdout)?.[1];
      if (base && token) return { base, token };
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the emulator did not start:\n${stdout}\n${stderr}`);
  };
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

async function api(base: string, token: string, method: string, url: string, body?: unknown) {
  const response = await fetch(`${base}/api/v2${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as Record<string, unknown>) };
}

function files() {
  const dir = mkdtempSync(path.join(tmpdir(), "emulator-state-cli-"));
  const seed = path.join(dir, "seed.json");
  writeFileSync(seed, JSON.stringify(SEED));
  return { seed, state: path.join(dir, "tenant.json") };
}

describe("auth0-emulator --state", () => {
  it("keeps every change through Ctrl-C of `npm run emulator` and a restart", async () => {
    const { seed, state } = files();
    const args = ["run", "--silent", "emulator", "--", "--port", "0", "--seed", seed, "--state", state];
    const first = startGroup(NPM, args);
    const { base, token } = await first.ready();
    expect(first.output().stdout).toContain(`State:     ${state}`);
    expect(
      (
        await api(base, token, "POST", "/organizations/org_state000000000001/connections", {
          connection_id: "con_state000000000001",
          assign_membership_on_login: true,
          organization_access_level: "readonly",
        })
      ).status,
    ).toBe(201);
    expect((await api(base, token, "PATCH", "/organizations/org_state000000000001", { display_name: "Acme, kept" })).status).toBe(200);
    // Ctrl-C: the terminal signals the whole foreground group (npm, tsx's launcher, the emulator) at once.
    process.kill(-first.child.pid!, "SIGINT");
    await first.exited;

    const second = startGroup(NPM, args);
    const again = await second.ready();
    expect((await api(again.base, again.token, "GET", "/organizations/org_state000000000001")).body).toMatchObject({ display_name: "Acme, kept" });
    expect((await api(again.base, again.token, "GET", "/organizations/org_state000000000001/connections/con_state000000000001")).body).toMatchObject({
      assign_membership_on_login: true,
      organization_access_level: "readonly",
    });
    process.kill(-second.child.pid!, "SIGINT");
    await second.exited;
  });

  it("leaves a file that loads when killed with SIGKILL in the middle of a stream of changes", async () => {
    const { seed, state } = files();
    const args = [built, "--port", "0", "--no-rate-limit", "--seed", seed, "--state", state];
    const first = startGroup(process.execPath, args);
    const { base, token } = await first.ready();
    // Settled changes: acknowledged, then a pause longer than the write delay.
    for (let index = 0; index < 20; index += 1) expect((await api(base, token, "POST", "/organizations", { name: `settled-${index}` })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Then changes in flight while the group is killed.
    const inFlight = Array.from({ length: 200 }, (_, index) =>
      api(base, token, "POST", "/organizations", { name: `in-flight-${index}` }).catch(() => undefined),
    );
    await new Promise((resolve) => setTimeout(resolve, 40));
    process.kill(-first.child.pid!, "SIGKILL");
    await first.exited;
    await Promise.all(inFlight);

    const kept = JSON.parse(readFileSync(state, "utf8")) as { tenants: Record<string, { organizations: Array<{ name: string }> }> };
    const names = kept.tenants["emulator.local"]!.organizations.map((o) => o.name);
    for (let index = 0; index < 20; index += 1) expect(names).toContain(`settled-${index}`);

    const second = startGroup(process.execPath, args);
    const again = await second.ready();
    const listed = (await api(again.base, again.token, "GET", "/organizations?include_totals=true&per_page=100")).body as { total: number };
    expect(listed.total).toBe(names.length);
    process.kill(-second.child.pid!, "SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("exits 2 with a clear message for a file that is not a tenant, and leaves it alone", async () => {
    const { seed } = files();
    const run = startGroup(process.execPath, [built, "--port", "0", "--state", seed]);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain(`The state file ${seed} is not an emulator tenant`);
    expect(run.output().stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(readFileSync(seed, "utf8"))).toEqual(SEED);
  });
});
