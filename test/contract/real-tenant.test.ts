/**
 * The conditions of a real tenant, simulated on the emulator: a strict rate limit with slow answers, connections
 * that are deleted eventually (202 until gone), and a narrow token that holds some scopes. A run must pass in each:
 * it fails only when the contract is broken, never because the tenant is slow or strict.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runContract } from "../../src/contract/run.js";
import type { EmulatorMiddleware } from "../../src/emulator/types.js";
import { listOperations } from "../../src/shared/spec.js";
import { collectLog, FORBIDDEN_TRANSACTIONS as forbiddenTransactions, runContractAgainst, startTestEmulator, useTempDir } from "./helpers.js";

describe("a contract run under a real tenant's conditions", () => {
  const tempDir = useTempDir("contract-real-");

  it("waits while a deleted connection still answers 202, for the transaction that expects the 204", async () => {
    // Each deleted connection keeps answering 202 to DELETE three more times before it is gone, like a live tenant.
    const pending = new Map<string, number>();
    const eventuallyConsistent: EmulatorMiddleware = async (request, next) => {
      const match = request.method === "DELETE" ? /\/api\/v2\/connections\/([^/]+)$/.exec(new URL(request.url).pathname) : null;
      const response = await next(request);
      if (!match) return response;
      const id = match[1]!;
      if (response.status === 202) pending.set(id, 3);
      const left = pending.get(id) ?? 0;
      if (response.status !== 204 || left === 0) return response;
      pending.set(id, left - 1);
      return new Response(JSON.stringify({ deleted_at: new Date().toISOString() }), {
        status: 202,
        headers: { "content-type": "application/json; charset=utf-8" },
      });
    };
    const output = collectLog();
    const report = await runContract({ emulatorMiddleware: [eventuallyConsistent], log: output.log, journalDir: path.join(tempDir(), "journal") });
    expect(
      report.results.filter((r) => r.status === "fail" || r.status === "error"),
      output.text(),
    ).toEqual([]);
    expect(report.results.find((r) => r.id === "DELETE (204) /connections/{id}")?.status).toBe("pass");
  });

  it("skips the 422 of an update with its reason on a tenant that creates no MCP connection", async () => {
    // A tenant without MCP connections: refuses to create one even with the purposes such a connection must have.
    const noMcp: EmulatorMiddleware = async (request, next) => {
      if (request.method === "POST" && new URL(request.url).pathname === "/api/v2/connections") {
        const body = (await request.clone().json()) as { strategy?: string; connected_accounts?: { active?: boolean } };
        if (body.strategy?.endsWith("-mcp") && body.connected_accounts?.active === true) {
          return new Response(JSON.stringify({ statusCode: 400, error: "Bad Request", message: "MCP connections are not available on this tenant" }), {
            status: 400,
            headers: { "content-type": "application/json; charset=utf-8" },
          });
        }
      }
      return next(request);
    };
    const output = collectLog();
    const report = await runContract({ emulatorMiddleware: [noMcp], log: output.log, journalDir: path.join(tempDir(), "journal") });
    expect(
      report.results.filter((r) => r.status === "fail" || r.status === "error"),
      output.text(),
    ).toEqual([]);
    expect(report.skipReasons.get("PATCH (422) /connections/{id}")).toMatch(
      /^the target did not create an MCP connection \(notion-mcp\) of the run's own to provoke the 422 on: could not create connection contract-test-[0-9a-f]{14}-mcp-\d+ \(HTTP 400: MCP connections are not available on this tenant\)$/,
    );
    expect(report.results.find((r) => r.id === "POST (422) /connections")?.status).toBe("pass");
  });

  it("reads the narrow token's scopes and provokes a 403 only where it lacks the operation's scope", async () => {
    const emulator = await startTestEmulator();
    try {
      const narrow = await emulator.issueToken({ scopes: ["read:organization_connections"] });
      const { code, output } = await runContractAgainst(emulator, path.join(tempDir(), "journal"), { AUTH0_NARROW_TOKEN: narrow });
      expect(code, output.text()).toBe(0);
      const readsLinks = listOperations().filter((op) => op.operation.responses["403"] && op.scopes.includes("read:organization_connections"));
      expect(readsLinks.length).toBeGreaterThan(0);
      for (const op of readsLinks) {
        expect(output.text()).toContain(
          `- GET (403) ${op.pathTemplate} — the narrow token holds read:organization_connections, so it cannot provoke a 403 here`,
        );
      }
      expect(output.text().match(/✓ \w+ \(403\) /g)).toHaveLength(forbiddenTransactions - readsLinks.length);
    } finally {
      await emulator.close();
    }
  });
});
