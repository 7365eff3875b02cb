/**
 * Drift: a contract run names what the target does beyond the spec. The "moved tenant" is the emulator behind a
 * loopback proxy that does what Auth0 does when it grows: a new field on every organization-connection link, a new
 * response header, and a query parameter (`take`) the lists now accept. The run, started as a user starts it,
 * passes and names each of them in its output, its JUnit report and its drift report; with --fail-on-drift it
 * fails; a finding the team accepted is reported as accepted; and the emulator as shipped has no drift at all.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/contract/cli.js";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { collectLog, startNpmContract, startTestEmulator, useTempDir } from "./helpers.js";

const NEW_FIELD = "organization_member_access_level";
const NEW_HEADER = "x-auth0-organization-tier";
const LINK_LISTS = /^\/api\/v2\/organizations\/[^/]+\/enabled_connections$/;

/** Adds the new field to every link object (an object with `connection_id` and `assign_membership_on_login`). */
function addFieldToLinks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(addFieldToLinks);
  if (typeof value !== "object" || value === null) return value;
  const copy = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, addFieldToLinks(inner)]));
  if ("connection_id" in copy && "assign_membership_on_login" in copy) copy[NEW_FIELD] = "full";
  return copy;
}

/** The moved tenant: forwards to the emulator and changes the answers as described above. */
async function startMovedTenant(emulator: RunningEmulator): Promise<{ server: Server; baseUrl: string }> {
  const upstream = new URL(emulator.url);
  const server = createServer((request, reply) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void (async () => {
        const url = new URL(request.url ?? "/", upstream);
        // The lists now understand checkpoint paging: the emulator is asked without it, and answers 200.
        if (LINK_LISTS.test(url.pathname)) url.searchParams.delete("take");
        const headers = Object.fromEntries(
          Object.entries(request.headers).filter(([name]) => !["host", "connection", "content-length"].includes(name)),
        ) as Record<string, string>;
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const response = await fetch(url, { method: request.method, headers, body });
        const text = await response.text();
        const isJson = /json/.test(response.headers.get("content-type") ?? "") && text !== "";
        const answer = isJson && url.pathname.startsWith("/api/v2/organizations/") ? JSON.stringify(addFieldToLinks(JSON.parse(text))) : text;
        const out: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          if (!["content-length", "connection", "keep-alive", "transfer-encoding", "content-encoding"].includes(name)) out[name] = value;
        });
        if (url.pathname.startsWith("/api/v2/organizations/") && request.method === "GET") out[NEW_HEADER] = "b2b-enterprise";
        reply.writeHead(response.status, out);
        reply.end(answer);
      })().catch(() => {
        reply.writeHead(502);
        reply.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2` };
}

interface DriftReportFile {
  new: Array<{ operation: string; kind: string; where: string; example: string; statuses: number[] }>;
  accepted: Array<{ operation: string; where: string; acceptedBecause: string }>;
}

describe("drift: what a tenant does beyond the spec", () => {
  const tempDir = useTempDir("contract-drift-");
  let emulator: RunningEmulator;
  let moved: { server: Server; baseUrl: string };
  let token: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    token = await emulator.issueToken();
    moved = await startMovedTenant(emulator);
  });
  afterAll(async () => {
    moved.server.closeAllConnections();
    await new Promise((resolve) => moved.server.close(resolve));
    await emulator.close();
  });

  it("is named in the output, the JUnit report and the drift report, and the run still passes", async () => {
    const junit = path.join(tempDir(), "contract.xml");
    const driftFile = path.join(tempDir(), "drift.json");
    const run = startNpmContract(["--base-url", moved.baseUrl, "--journal", path.join(tempDir(), "journal"), "--junit", junit, "--drift-report", driftFile], {
      AUTH0_TOKEN: token,
    });
    const { code } = await run.exited;
    const output = run.output();
    expect(code, output).toBe(0);

    expect(output).toMatch(/Drift: \d+ thing\(s\) the target does that the spec does not describe/);
    expect(output).toContain(`GET /organizations/{id}/enabled_connections → 200: field not in the spec $.enabled_connections[*].${NEW_FIELD}, e.g. "full"`);
    expect(output).toContain(`GET /organizations/{id}/connections/{connection_id} → 200: field not in the spec $.${NEW_FIELD}`);
    expect(output).toContain(`header not in the spec ${NEW_HEADER}, e.g. "b2b-enterprise"`);
    expect(output).toContain("GET /organizations/{id}/enabled_connections → 200: query parameter accepted, not in the spec take");
    // Each distinct finding once, however many answers showed it.
    expect(output.split(`$.enabled_connections[*].${NEW_FIELD},`).length - 1).toBe(1);

    const report = JSON.parse(await readFile(driftFile, "utf8")) as DriftReportFile;
    expect(report.new).toContainEqual(
      expect.objectContaining({ operation: "POST /organizations/{id}/connections", kind: "response-field", where: `$.${NEW_FIELD}`, example: '"full"' }),
    );
    expect(report.new).toContainEqual(
      expect.objectContaining({ operation: "GET /organizations/{id}/enabled_connections", kind: "query-parameter", where: "take" }),
    );
    // The page object's items are found as well as a plain array's.
    expect(report.new).toContainEqual(expect.objectContaining({ operation: "GET /organizations/{id}/connections", where: `$.connections[*].${NEW_FIELD}` }));
    expect(report.new.filter((f) => !f.operation.startsWith("GET /organizations/") && f.kind === "response-header")).toEqual([]);
    expect(report.accepted).toEqual([]);

    const xml = await readFile(junit, "utf8");
    expect(xml).toContain('<testcase classname="drift" name="drift GET /organizations/{id}/enabled_connections">');
    expect(xml).toContain(`field not in the spec $.enabled_connections[*].${NEW_FIELD}`);
    expect(xml).not.toContain("<failure");
    expect(xml).not.toContain(token);
  });

  it("fails the run with --fail-on-drift, and a finding the team accepted no longer does", async () => {
    const failing = collectLog();
    const junit = path.join(tempDir(), "failing.xml");
    const args = ["--base-url", moved.baseUrl, "--journal", path.join(tempDir(), "journal"), "--fail-on-drift"];
    expect(await main([...args, "--junit", junit], { AUTH0_TOKEN: token }, { out: failing.log, err: failing.log })).toBe(1);
    expect(failing.text()).toContain("the run fails (--fail-on-drift)");
    expect(failing.text()).toMatch(/0 failed/);
    expect(await readFile(junit, "utf8")).toMatch(
      /<testcase classname="drift" name="drift GET \/organizations\/\{id\}\/connections">\n {6}<failure message="\d+ new: /,
    );

    // Every finding of the moved tenant, accepted by the team: the same run passes and says they were accepted.
    const driftFile = path.join(tempDir(), "drift.json");
    const found = (JSON.parse(await readFile(driftFile, "utf8")) as DriftReportFile).new;
    const acceptedFile = path.join(tempDir(), "accepted.yaml");
    const entries = found.map(
      (f) =>
        `  - operation: "${f.operation}"\n    kind: ${f.kind}\n    where: "${f.where}"\n    reason: the tenant's new organization tier, not yet in the spec\n`,
    );
    await writeFile(acceptedFile, `accepted:\n${entries.join("")}`);
    const passing = collectLog();
    const second = path.join(tempDir(), "second.json");
    expect(
      await main([...args, "--drift-accepted", acceptedFile, "--drift-report", second], { AUTH0_TOKEN: token }, { out: passing.log, err: passing.log }),
      passing.text(),
    ).toBe(0);
    expect(passing.text()).toMatch(/Drift: nothing new beyond the spec; \d+ accepted/);
    const report = JSON.parse(await readFile(second, "utf8")) as DriftReportFile;
    expect(report.new).toEqual([]);
    expect(report.accepted).toContainEqual(
      expect.objectContaining({ where: `$.enabled_connections[*].${NEW_FIELD}`, acceptedBecause: "the tenant's new organization tier, not yet in the spec" }),
    );
  });

  it("refuses an accepted-drift file it cannot use before doing any work (exit 2)", async () => {
    const bad = path.join(tempDir(), "bad.yaml");
    await writeFile(bad, "accepted:\n  - operation: GET /connections\n    kind: new-kind\n    where: $.x\n    reason: r\n");
    const output = collectLog();
    expect(await main(["--drift-accepted", bad], {}, { out: output.log, err: output.log })).toBe(2);
    expect(output.text()).toContain("accepted[0] has kind 'new-kind'; expected one of response-field, response-header, query-parameter");
    expect(output.text()).not.toContain("Contract run");
  });
});
