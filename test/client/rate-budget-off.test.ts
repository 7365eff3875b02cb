/**
 * One model of the rate limits per request (issue 24): the contract run paces its requests itself (its pacer), so
 * the client it uses must not queue them again for its own budget. `rateBudget: false` sends each call as it comes.
 */
import { describe, expect, it } from "vitest";
import { createManagementClient } from "../../src/client/index.js";
import { createEmulator } from "../../src/emulator/index.js";

/** An emulator whose tenant allows one request each 1.5 s, and the requests that reached it. */
async function oneRequestEachSecondAndAHalf() {
  const emulator = createEmulator({ rateLimit: { limit: 1, windowMs: 1_500 } });
  const sent: string[] = [];
  const fetch = (request: Request) => {
    sent.push(request.url);
    return emulator.fetch(request);
  };
  return { sent, fetch, token: await emulator.issueToken() };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 200));

describe("the client's rate budget", () => {
  it("queues a call for an empty bucket by default", async () => {
    const { sent, fetch, token } = await oneRequestEachSecondAndAHalf();
    const client = createManagementClient({ baseUrl: "http://emulator.local/api/v2", token, fetch, retry: { maxDelayMs: 30_000, maxRetries: 0 } });
    // Two answers teach the budget the bucket (the second a 429: one each 1.5 s).
    await client.GET("/organizations");
    await client.GET("/organizations");
    const third = client.GET("/organizations");
    await tick();
    expect(sent).toHaveLength(2);
    await third;
    expect(sent).toHaveLength(3);
  });

  it("with rateBudget: false, leaves the pacing to the fetch: every call goes as it comes", async () => {
    const { sent, fetch, token } = await oneRequestEachSecondAndAHalf();
    const client = createManagementClient({
      baseUrl: "http://emulator.local/api/v2",
      token,
      fetch,
      retry: { maxDelayMs: 30_000, maxRetries: 0 },
      rateBudget: false,
    });
    await client.GET("/organizations");
    await client.GET("/organizations");
    const third = client.GET("/organizations");
    await tick();
    expect(sent).toHaveLength(3);
    // The fetch (here: none) would have paced it; the tenant says so.
    expect((await third).response.status).toBe(429);
  });
});
