/**
 * The fixture and clean-up logic of stateful runs (the same code a live-tenant run uses), against a user's emulator
 * reached by --base-url: the tenant looks exactly as it did before a run after a normal run, after a Ctrl-C
 * (`npm run contract` signalled as a process group, the way a terminal does) during fixture set-up and during
 * transactions, after a second Ctrl-C that stops the clean-up followed by `--cleanup`, and after a run killed
 * outright — also once its journal is lost, found by name with --older-than. Clean-up deletes only what still
 * carries the run's name; the user's faults are restored.
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/contract/cli.js";
import { allSpecScopes, type RunningEmulator } from "../../src/emulator/index.js";
import { newRunId } from "../../src/contract/run-id.js";
import { collectLog, currentFaults, setFaults, startNpmContract, startTestEmulator, tenantState, transactionLines } from "./helpers.js";
import { isWellFormedXml } from "./xml.js";

const runFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".json")) : []);

/** Creates an organization through the API, as a user would; returns its id. */
async function createOrganization(emulator: RunningEmulator, token: string, name: string): Promise<string> {
  const response = await fetch(`${emulator.baseUrl}/organizations`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201) throw new Error(`could not create ${name}: HTTP ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

async function deleteOrganization(emulator: RunningEmulator, token: string, id: string): Promise<void> {
  const response = await fetch(`${emulator.baseUrl}/organizations/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 204) throw new Error(`could not delete ${id}: HTTP ${response.status}`);
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The credentials of a CI job: client credentials, which also key the runs' marks (run-mark.ts). */
const CI_CLIENT = {
  AUTH0_CLIENT_ID: "contractCleanupCiClient",
  AUTH0_CLIENT_SECRET: "q8Zr2vLx7NwP4kTb9mYc3HdF6sJg1aRe",
  AUTH0_AUDIENCE: "https://emulator.local/api/v2/",
};

describe("contract fixtures and clean-up on a stateful server", () => {
  let emulator: RunningEmulator;
  let token: string;
  let dir: string;
  let journal: string;
  let before: unknown;
  const userFaults = { latencyMs: 120 };

  beforeAll(async () => {
    emulator = await startTestEmulator({
      seed: {
        organizations: [{ id: "org_UsersOwnOrg00001", name: "users-own-org", display_name: "Not the run's" }],
        connections: [{ name: "users-own-db", strategy: "auth0" }],
        links: [{ organization_id: "users-own-org", connection_id: "users-own-db" }],
      },
      clients: [{ clientId: CI_CLIENT.AUTH0_CLIENT_ID, clientSecret: CI_CLIENT.AUTH0_CLIENT_SECRET, scopes: allSpecScopes() }],
    });
    token = await emulator.issueToken();
    dir = await mkdtemp(path.join(tmpdir(), "contract-cleanup-"));
    before = await tenantState(emulator);
  });
  beforeEach(async () => {
    journal = await mkdtemp(path.join(dir, "journal-"));
    await setFaults(emulator, userFaults);
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("leaves the tenant and the user's faults as it found them after a normal run", async () => {
    // Any fault of the user's will do here; a short delay keeps a whole run (about 260 requests) quick. The
    // interrupt tests below keep the longer one, which gives them a moment to interrupt in.
    const quickFaults = { latencyMs: 10 };
    await setFaults(emulator, quickFaults);
    const output = collectLog();
    const code = await main(["--base-url", emulator.baseUrl, "--journal", journal], { AUTH0_TOKEN: token }, { out: output.log, err: output.log });
    expect(code, output.text()).toBe(0);
    expect(output.text()).toContain("against an emulator");
    expect(await tenantState(emulator)).toEqual(before);
    expect(await currentFaults(emulator)).toEqual(quickFaults);
    expect(runFiles(journal)).toEqual([]);
  });

  it.each([
    ["while the fixtures are set up", () => runFiles(journal).length > 0],
    ["while transactions run", (output: string) => transactionLines(output) >= 12],
  ] as const)("removes everything on a Ctrl-C to `npm run contract` %s", async (_when, ready) => {
    const junit = path.join(dir, `interrupted-${Date.now()}.xml`);
    const run = startNpmContract(["--base-url", emulator.baseUrl, "--journal", journal, "--junit", junit], { AUTH0_TOKEN: token });
    await until(() => ready(run.output()), "the moment to interrupt");
    run.signalGroup("SIGINT");
    const exit = await run.exited;

    // The run exits 130; npm then ends itself with the same signal, which a shell reports as 130 too.
    expect(exit.code ?? (exit.signal === "SIGINT" ? 130 : exit.signal), run.output()).toBe(130);
    expect(run.output()).toContain("Interrupted: removing the run's resources");
    expect(run.output()).toMatch(/ {2}removed organization contract-test-[0-9a-f]{14}-org \(org_/);
    expect(run.output()).toMatch(/Removed \d+ resource\(s\) from /);
    expect(await tenantState(emulator)).toEqual(before);
    expect(await currentFaults(emulator)).toEqual(userFaults);
    expect(runFiles(journal)).toEqual([]);
    const report = await readFile(junit, "utf8");
    expect(isWellFormedXml(report), report).toBe(true);
    expect(report).toMatch(/<error message="the run was interrupted: the run stopped after \d+ transaction/);
    expect(report).toMatch(/errors="[1-9]/);
  });

  it("stops at once on a second Ctrl-C during the clean-up, and says how to finish with --cleanup", async () => {
    await setFaults(emulator, { latencyMs: 400 });
    const run = startNpmContract(["--base-url", emulator.baseUrl, "--journal", journal], { AUTH0_TOKEN: token });
    await run.waitFor((output) => transactionLines(output) >= 12);
    run.signalGroup("SIGINT");
    await run.waitFor(/ {2}removed /);
    const secondAt = Date.now();
    run.signalGroup("SIGINT");
    const exit = await run.exited;
    // At once: the first Ctrl-C's clean-up would go on reading and deleting each resource left, 400 ms per request.
    expect(Date.now() - secondAt, "stopped at once").toBeLessThan(3_000);
    expect(exit.code ?? (exit.signal === "SIGINT" ? 130 : exit.signal)).toBe(130);
    expect(run.output()).toContain(
      `Interrupted again: clean-up stopped. Finish it with: npm run contract -- --cleanup --base-url ${emulator.baseUrl} --journal ${journal}`,
    );
    expect(await tenantState(emulator)).not.toEqual(before);
    // A forced status the run never used is not left behind either way.
    expect(await currentFaults(emulator)).toEqual({ latencyMs: 400 });

    const output = collectLog();
    const cleanup = await main(
      ["--cleanup", "--base-url", emulator.baseUrl, "--journal", journal],
      { AUTH0_TOKEN: token },
      { out: output.log, err: output.log },
    );
    expect(cleanup, output.text()).toBe(0);
    expect(output.text()).toMatch(/ {2}removed organization contract-test-[0-9a-f]{14}-org \(org_/);
    expect(await tenantState(emulator)).toEqual(before);
    expect(runFiles(journal)).toEqual([]);
  });

  it("removes the leftovers of a killed run with --cleanup", async () => {
    const run = startNpmContract(["--base-url", emulator.baseUrl, "--journal", journal], { AUTH0_TOKEN: token });
    await run.waitFor((output) => transactionLines(output) >= 12);
    run.signalGroup("SIGKILL");
    await run.exited;
    const [file] = runFiles(journal);
    const created = (JSON.parse(await readFile(path.join(journal, file!), "utf8")) as { created: unknown[] }).created;
    expect(created.length).toBeGreaterThanOrEqual(3);
    expect(await tenantState(emulator)).not.toEqual(before);

    const output = collectLog();
    const code = await main(["--cleanup", "--base-url", emulator.baseUrl, "--journal", journal], { AUTH0_TOKEN: token }, { out: output.log, err: output.log });
    expect(code, output.text()).toBe(0);
    expect(output.text()).toMatch(/Removed \d+ resource\(s\) from http:\/\/127\.0\.0\.1:\d+\/api\/v2\./);
    expect(await tenantState(emulator)).toEqual(before);
    expect(runFiles(journal)).toEqual([]);
  });

  it("finds a killed run's leftovers by name once its journal is lost, with --cleanup --older-than, and nothing else", async () => {
    // A resource named like an older run whose id carries no start time: its age is unknown, so it is never taken.
    const untimed = await createOrganization(emulator, token, "contract-test-0badc0de-untimed");
    const withUntimed = await tenantState(emulator);
    const run = startNpmContract(["--base-url", emulator.baseUrl, "--journal", journal], CI_CLIENT);
    await run.waitFor((output) => transactionLines(output) >= 12);
    run.signalGroup("SIGKILL");
    await run.exited;
    // The CI runner is gone, and its journal with it.
    expect(runFiles(journal).length).toBe(1);
    await rm(journal, { recursive: true, force: true });
    expect(await tenantState(emulator)).not.toEqual(withUntimed);

    // The run is seconds old: a run of that age may still be going, so an hour's threshold leaves it alone.
    const young = collectLog();
    expect(
      await main(["--cleanup", "--older-than", "1h", "--base-url", emulator.baseUrl, "--journal", journal], CI_CLIENT, { out: young.log, err: young.log }),
      young.text(),
    ).toBe(0);
    expect(young.text()).toContain(
      `Nothing to remove from ${emulator.baseUrl}: no interrupted run against it is journaled in ${journal} and nothing on it is named contract-test-… by a run older than 1h.`,
    );
    expect(await tenantState(emulator)).not.toEqual(withUntimed);

    // With a token alone the marks cannot be checked: what is found is listed, not deleted.
    const tokenOnly = collectLog();
    expect(
      await main(
        ["--cleanup", "--older-than", "0s", "--base-url", emulator.baseUrl, "--journal", journal],
        { AUTH0_TOKEN: token },
        { out: tokenOnly.log, err: tokenOnly.log },
      ),
      tokenOnly.text(),
    ).toBe(0);
    expect(tokenOnly.text()).toMatch(
      /not removed: organization org_\w+ 'contract-test-[0-9a-f]{14}-org' is named like a contract run's, but without the run's client credentials/,
    );
    expect(tokenOnly.text()).toContain(`Removed nothing from ${emulator.baseUrl}.`);
    expect(await tenantState(emulator)).not.toEqual(withUntimed);

    const output = collectLog();
    const code = await main(["--cleanup", "--older-than", "0s", "--base-url", emulator.baseUrl, "--journal", journal], CI_CLIENT, {
      out: output.log,
      err: output.log,
    });
    expect(code, output.text()).toBe(0);
    expect(output.text()).toMatch(/ {2}removed organization contract-test-[0-9a-f]{14}-org \(org_/);
    expect(output.text()).toMatch(/ {2}removed connection contract-test-[0-9a-f]{14}-enabled \(con_/);
    expect(output.text()).toMatch(/Removed \d+ resource\(s\) from http:\/\/127\.0\.0\.1:\d+\/api\/v2\./);
    // The user's organization and the untimed one are still there, and nothing else is.
    expect(await tenantState(emulator)).toEqual(withUntimed);
    await deleteOrganization(emulator, token, untimed);
    expect(await tenantState(emulator)).toEqual(before);
  });

  it("cannot be turned into a delete by renaming: a customer's organization given an old run's name stays, with its links", async () => {
    // A token that may only update organizations (a DELETE answers it 403) renames a customer's organization.
    const renamer = await emulator.issueToken({ scopes: ["update:organizations"] });
    const oldRun = newRunId(Date.now() - 2 * 60 * 60 * 1000);
    const renamed = `contract-test-${oldRun}-prod`;
    const forbidden = await fetch(`${emulator.baseUrl}/organizations/org_UsersOwnOrg00001`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${renamer}` },
    });
    expect(forbidden.status).toBe(403);
    // It even copies a real mark from a run's resource onto it: the mark is bound to the resource it was made for.
    const run = startNpmContract(["--base-url", emulator.baseUrl, "--journal", journal], CI_CLIENT);
    let runsOrg: { name: string; metadata?: Record<string, string> } | undefined;
    try {
      await run.waitFor((output) => transactionLines(output) >= 12);
      // Read through the admin API: the run's requests, not this test's, are what its forced statuses are aimed at.
      const { organizations } = (await tenantState(emulator)) as { organizations: Array<{ name: string; metadata?: Record<string, string> }> };
      runsOrg = organizations.find((o) => /^contract-test-[0-9a-f]{14}-org$/.test(o.name));
    } finally {
      run.signalGroup("SIGINT");
      await run.exited;
    }
    expect(runsOrg?.metadata?.contract_test_mark).toMatch(/^[\w-]{43}$/);
    try {
      const rename = await fetch(`${emulator.baseUrl}/organizations/org_UsersOwnOrg00001`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${renamer}`, "content-type": "application/json" },
        body: JSON.stringify({ name: renamed, metadata: runsOrg!.metadata }),
      });
      expect(rename.status).toBe(200);
      const renamedState = await tenantState(emulator);

      // The CI sweep, with the full credentials.
      const output = collectLog();
      const code = await main(["--cleanup", "--older-than", "1h", "--base-url", emulator.baseUrl, "--journal", journal], CI_CLIENT, {
        out: output.log,
        err: output.log,
      });
      expect(code, output.text()).toBe(0);
      expect(output.text()).toContain(
        `not removed: organization org_UsersOwnOrg00001 '${renamed}' is named like a contract run's but does not carry that run's mark`,
      );
      expect(output.text()).not.toMatch(/ {2}removed /);
      expect(await tenantState(emulator)).toEqual(renamedState);
    } finally {
      await fetch(`${emulator.baseUrl}/organizations/org_UsersOwnOrg00001`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "users-own-org", metadata: {} }),
      });
    }
    expect(await tenantState(emulator)).toEqual(before);
  });

  it("refuses --older-than without --cleanup, or without a unit, as usage errors", async () => {
    for (const args of [
      ["--older-than", "1h"],
      ["--cleanup", "--older-than", "90"],
    ]) {
      const output = collectLog();
      expect(await main([...args, "--base-url", emulator.baseUrl], { AUTH0_TOKEN: token }, { out: output.log, err: output.log })).toBe(2);
      expect(output.text()).toMatch(/--older-than (goes with --cleanup|takes a whole number and a unit)/);
    }
  });

  it("deletes only what still carries the run's name: a stale or edited journal cannot delete the user's resources", async () => {
    const runId = "0badc0de";
    const ours = { id: await createOrganization(emulator, token, `contract-test-${runId}-org`) };
    mkdirSync(journal, { recursive: true });
    await writeFile(
      path.join(journal, `${runId}.json`),
      JSON.stringify({
        version: 2,
        runId,
        target: emulator.baseUrl,
        startedAt: new Date().toISOString(),
        created: [
          { kind: "organization", id: "org_UsersOwnOrg00001", name: `contract-test-${runId}-edited` },
          { kind: "organization", id: ours.id, name: `contract-test-${runId}-org` },
        ],
      }),
    );
    const output = collectLog();
    const code = await main(["--cleanup", "--base-url", emulator.baseUrl, "--journal", journal], { AUTH0_TOKEN: token }, { out: output.log, err: output.log });
    expect(code, output.text()).toBe(0);
    expect(output.text()).toContain(`removed organization contract-test-${runId}-org (${ours.id})`);
    expect(output.text()).toContain(`not removed: organization org_UsersOwnOrg00001 is now named 'users-own-org', not contract-test-${runId}-…: left alone`);
    expect(await tenantState(emulator)).toEqual(before);
  });

  it("says so when there is nothing to clean up", async () => {
    const output = collectLog();
    const code = await main(["--cleanup", "--base-url", emulator.baseUrl, "--journal", journal], { AUTH0_TOKEN: token }, { out: output.log, err: output.log });
    expect(code).toBe(0);
    expect(output.text()).toContain(`Nothing to remove from ${emulator.baseUrl}: no interrupted run against it is journaled in ${journal}.`);
  });
});
