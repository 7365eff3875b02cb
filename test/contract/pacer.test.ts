/**
 * The run's pacer on its own, with scripted answers: it keeps to --max-rps, waits for the window when the budget is
 * spent (and says so when the wait is long), repeats a 429 a bounded number of times, and hands a 429 over unrepeated
 * to the one transaction that expects it.
 */
import { describe, expect, it } from "vitest";
import { parseContractArguments } from "../../src/contract/cli.js";
import { Pacer } from "../../src/contract/pacer.js";

function scripted(answers: Array<{ status: number; headers?: Record<string, string> }>) {
  const sentAt: number[] = [];
  let index = 0;
  const send = async () => {
    sentAt.push(Date.now());
    const answer = answers[Math.min(index, answers.length - 1)]!;
    index += 1;
    return new Response(null, { status: answer.status, headers: answer.headers });
  };
  return { send, sentAt };
}

describe("the contract run's pacer", () => {
  it("keeps to --max-rps", async () => {
    const pacer = new Pacer({ maxRps: 20 });
    const server = scripted([{ status: 200 }]);
    await Promise.all(Array.from({ length: 6 }, () => pacer.send({ label: "GET /x", send: server.send })));
    const gaps = server.sentAt.slice(1).map((t, i) => t - server.sentAt[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(45);
    expect(parseContractArguments(["--max-rps", "2.5"], {}).options.maxRps).toBe(2.5);
  });

  it("waits for the window to end when the budget is spent, and announces a long wait", async () => {
    const lines: string[] = [];
    const pacer = new Pacer({ announceWaitsFromMs: 100, log: (line) => lines.push(line) });
    const resetAt = Math.ceil(Date.now() / 1000) + 1;
    const server = scripted([
      { status: 200, headers: { "x-ratelimit-limit": "1", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(resetAt) } },
      { status: 200 },
    ]);
    await pacer.send({ label: "GET /first", send: server.send });
    await pacer.send({ label: "GET /second", send: server.send });
    expect(server.sentAt[1]).toBeGreaterThanOrEqual(resetAt * 1000);
    expect(lines.join("\n")).toMatch(/… waiting \d\.\d s for the rate limit \(1 at once\) before GET \/second/);
  });

  it("repeats a request answered 429 after Retry-After, a bounded number of times", async () => {
    const pacer = new Pacer({ max429Retries: 3 });
    const tooMany = { status: 429, headers: { "retry-after": "0.05" } };
    const recovering = scripted([tooMany, tooMany, { status: 201 }]);
    expect((await pacer.send({ label: "POST /x", send: recovering.send })).status).toBe(201);
    expect(recovering.sentAt).toHaveLength(3);

    const stuck = scripted([tooMany]);
    expect((await pacer.send({ label: "POST /y", send: stuck.send })).status).toBe(429);
    expect(stuck.sentAt).toHaveLength(4);
    expect(pacer.stats.repeated429).toBe(5);
  });

  it("hands a 429 over to the transaction that expects one, without repeating it or learning from it", async () => {
    const pacer = new Pacer();
    const forced = scripted([
      { status: 429, headers: { "x-ratelimit-limit": "1000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 60) } },
      { status: 200 },
    ]);
    expect((await pacer.send({ label: "GET /x", send: forced.send, expect429: true })).status).toBe(429);
    const before = Date.now();
    await pacer.send({ label: "GET /y", send: forced.send });
    // Far below the minute the headers name, with room for a busy machine.
    expect(Date.now() - before, "a forced 429's headers do not make the run wait a minute").toBeLessThan(10_000);
    expect(forced.sentAt).toHaveLength(2);
  });

  it("does not count a 429 the transaction asked for against the budget: a forced fault took nothing from any bucket", async () => {
    const pacer = new Pacer();
    const resetAt = String(Math.ceil(Date.now() / 1000) + 30);
    // A window of 3 with 2 left after the first request, full again only in half a minute. (The pacer holds a
    // window's last request back to learn its length; with two left it has no reason to wait.)
    const server = scripted([
      { status: 200, headers: { "x-ratelimit-limit": "3", "x-ratelimit-remaining": "2", "x-ratelimit-reset": resetAt } },
      { status: 429 },
      { status: 200, headers: { "x-ratelimit-limit": "3", "x-ratelimit-remaining": "1", "x-ratelimit-reset": resetAt } },
    ]);
    await pacer.send({ label: "GET /x", send: server.send });
    expect((await pacer.send({ label: "GET /x", send: server.send, expect429: true })).status).toBe(429);
    const before = Date.now();
    // Two are still left: the next goes at once, not after half a minute.
    await pacer.send({ label: "GET /x", send: server.send });
    expect(Date.now() - before, "the forced 429 was counted as a request spent").toBeLessThan(10_000);
  });

  it("sends a request that asks for a forced 429 at once, even when its bucket is empty: the fault answers before the limiter", async () => {
    const pacer = new Pacer();
    const resetAt = String(Math.ceil(Date.now() / 1000) + 30);
    const server = scripted([
      { status: 200, headers: { "x-ratelimit-limit": "2", "x-ratelimit-remaining": "0", "x-ratelimit-reset": resetAt } },
      { status: 429 },
    ]);
    await pacer.send({ label: "POST /x", send: server.send });
    const before = Date.now();
    expect((await pacer.send({ label: "POST /x", send: server.send, expect429: true })).status).toBe(429);
    expect(Date.now() - before, "the forced 429 waited for the empty bucket").toBeLessThan(10_000);
  });
});
