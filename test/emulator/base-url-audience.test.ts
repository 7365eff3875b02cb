/**
 * Issue 21, the audience trap: a client pointed at a running emulator's base URL with client credentials asks for
 * the audience `http://127.0.0.1:<port>/api/v2/`. The emulator takes its own listening address as an alias of its
 * domain; any other audience is refused with a message naming the one to pass.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManagementClient, ManagementApiError } from "../../src/client/index.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";

const APP = { client_id: "m2mAppClientId0000000000000000001", client_secret: "Zq8vR2pL9xT4wK7mHs3nB6yCdF5gJ1", name: "m2m" };
let running: RunningEmulator;
beforeAll(async () => {
  running = await startEmulator({ seed: { clients: [APP] } });
});
afterAll(() => running.close());

describe("a base URL on a running emulator with client credentials", () => {
  it("works: the listening address is an alias of the emulator's domain", async () => {
    const client = createManagementClient({ baseUrl: running.baseUrl, clientId: APP.client_id, clientSecret: APP.client_secret, retry: { maxRetries: 0 } });
    const { response } = await client.GET("/organizations");
    expect(response.status).toBe(200);
  });

  it("refuses another audience, saying which one to pass", async () => {
    const client = createManagementClient({
      baseUrl: running.baseUrl,
      clientId: APP.client_id,
      clientSecret: APP.client_secret,
      audience: "https://tenant.example.com/api/v2/",
    });
    const failure = await client.getAccessToken().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ManagementApiError);
    expect((failure as ManagementApiError).detail).toBe(
      `Service not enabled within domain: https://tenant.example.com/api/v2/ (this emulator's audience is https://emulator.local/api/v2/, or ${running.baseUrl}/)`,
    );
  });
});
