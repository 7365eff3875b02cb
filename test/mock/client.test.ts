/**
 * The package's typed client against the Prism mock: what a user does to develop without a tenant.
 * Prism is started through `startMock()` (the module behind `npm run mock`) and stopped by PID at the end.
 */
import { describe, expect, it } from "vitest";
import { createManagementClient, ManagementApiError } from "../../src/client/index.js";
import { findOperation, findResponse } from "../../src/shared/spec.js";
import { startMock } from "../../src/mock/prism.js";
import { freePort, isAlive } from "./command.js";
import { mockForTests } from "./running-mock.js";
import { examplesOf } from "./example-requests.js";

const ORG = "org_W2nJ4xPq7sKd9VbT";
const CONNECTION = "con_Xk3pL9qRt2VwY7Za";

const runningMock = mockForTests();

/** The example Prism answers with: the first one the spec gives for that operation and status. */
function firstExample(method: string, pathTemplate: string, status: number): unknown {
  const op = findOperation(method, pathTemplate)!;
  return examplesOf(findResponse(op, status)?.content?.["application/json"])[0]?.value;
}

const client = () => createManagementClient({ baseUrl: runningMock().url, token: "mock-token", retry: { maxRetries: 1, maxDelayMs: 50, jitterMs: 0 } });

describe("the typed client against the Prism mock", () => {
  it("lists an organization's connections", async () => {
    const c = client();
    const connections = await c.unwrap(c.GET("/organizations/{id}/connections", { params: { path: { id: ORG } } }));
    expect(connections).toEqual(firstExample("get", "/organizations/{id}/connections", 200));
    expect(c.rateLimit).toEqual({ limit: 50, remaining: 49, reset: 1763812800 });
  });

  it("updates a link and gets the documented answer", async () => {
    const c = client();
    const updated = await c.unwrap(
      c.PATCH("/organizations/{id}/connections/{connection_id}", {
        params: { path: { id: ORG, connection_id: CONNECTION } },
        body: { organization_access_level: "readonly", organization_connection_name: null },
      }),
    );
    expect(updated).toEqual(firstExample("patch", "/organizations/{id}/connections/{connection_id}", 200));
  });

  it("deletes a link (204, no body)", async () => {
    const c = client();
    const result = await c.DELETE("/organizations/{id}/connections/{connection_id}", { params: { path: { id: ORG, connection_id: CONNECTION } } });
    expect(result.response.status).toBe(204);
  });

  it("surfaces Prism's 400 for a body the spec rejects as a ManagementApiError", async () => {
    const c = client();
    const failing = c.unwrap(
      c.PATCH("/organizations/{id}/connections/{connection_id}", {
        params: { path: { id: ORG, connection_id: CONNECTION } },
        body: { organization_connection_name: "n".repeat(51) },
      }),
    );
    await expect(failing).rejects.toBeInstanceOf(ManagementApiError);
    await expect(failing).rejects.toMatchObject({ statusCode: 400, error: "Bad Request" });
  });

  it("gives up on a lasting 429 after its retries and reports the rate limit", async () => {
    const c = client();
    const failing = c.unwrap(c.GET("/organizations/{id}", { params: { path: { id: ORG } }, headers: { prefer: "code=429" } }));
    await expect(failing).rejects.toMatchObject({ statusCode: 429, rateLimit: { limit: 50 } });
  }, 15_000); // Prism's 429 never clears and its reset time is past: a client that ignores maxRetries loops forever

  it("leaves no Prism process behind once stopped", async () => {
    const extra = await startMock({ port: await freePort() });
    await extra.stop();
    expect(isAlive(extra.pid)).toBe(false);
  });
});
