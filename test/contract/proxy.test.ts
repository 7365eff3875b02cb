/**
 * The contract run's loopback proxy answers only the run: Dredd's requests carry the run's key (stripped before
 * forwarding), target the proxy by its own address, and call an operation of the spec. Everything else — another
 * local user, a DNS-rebinding page, a request aimed at another loopback port — gets a 403 and is never forwarded
 * (the pacer never sees it, so it spends none of the run's rate budget).
 */
import { connect, createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addressOfBaseUrl } from "../../src/shared/management-address.js";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { Pacer } from "../../src/contract/pacer.js";
import { confinedFetch } from "../../src/contract/outbound.js";
import { type ContractProxy, RUN_KEY_HEADER, startProxy } from "../../src/contract/proxy.js";
import { startTestEmulator } from "./helpers.js";

const SEEDED_SECRET = "upstream-client-secret-0123456789abcdef";

let emulator: RunningEmulator;
let other: RunningEmulator;
let token: string;
let pacer: Pacer;
let proxy: ContractProxy;
/** What reached the emulator's API, and with which headers. */
const seen: Array<{ path: string; headers: Headers }> = [];

beforeAll(async () => {
  emulator = await startTestEmulator({
    seed: { clients: [{ client_id: "upstream", name: "Upstream", app_type: "non_interactive", client_secret: SEEDED_SECRET }] },
    middleware: [
      (request, next) => {
        seen.push({ path: new URL(request.url).pathname, headers: new Headers(request.headers) });
        return next(request);
      },
    ],
  });
  other = await startTestEmulator();
  token = await emulator.issueToken();
});
afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
  await other?.close();
});
beforeEach(async () => {
  await proxy?.close();
  seen.length = 0;
  pacer = new Pacer();
  proxy = await startProxy(addressOfBaseUrl(emulator.baseUrl), { pacer, send: confinedFetch({ live: false }, 2_000), timeoutMs: 2_000 });
});

const proxyAddress = () => new URL(proxy.endpoint);

/** Sends one request as raw bytes, so that the target form and Host are exactly what an attacker would send. */
function raw(lines: string[], body = ""): Promise<{ status: number; text: string }> {
  const { hostname, port } = proxyAddress();
  return new Promise((resolve, reject) => {
    // Written, not ended: the answer comes before the proxy closes the connection (every request says Connection: close).
    const socket = connect(Number(port), hostname, () => socket.write(`${lines.join("\r\n")}\r\n\r\n${body}`));
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
  });
}

const ownHost = () => proxyAddress().host;
const runKey = () => `${RUN_KEY_HEADER}: ${proxy.runKey}`;
const bearer = () => `Authorization: Bearer ${token}`;

describe("the contract proxy", () => {
  it("forwards the run's own request to an operation of the spec, without the run's key", async () => {
    const answer = await raw([`GET /api/v2/organizations HTTP/1.1`, `Host: ${ownHost()}`, runKey(), bearer(), "Connection: close"]);
    expect(answer.status).toBe(200);
    expect(seen.map((s) => s.path)).toEqual(["/api/v2/organizations"]);
    expect(seen[0]!.headers.has(RUN_KEY_HEADER)).toBe(false);
    expect(pacer.stats.sent).toBe(1);
  });

  it("refuses a request without the run's key (another local user, a rebinding page)", async () => {
    const answer = await raw([`GET /api/v2/organizations HTTP/1.1`, `Host: ${ownHost()}`, bearer(), "Connection: close"]);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text.slice(answer.text.indexOf("\r\n\r\n") + 4))).toMatchObject({ statusCode: 403, error: "Forbidden" });
    const wrongKey = await raw([
      `GET /api/v2/organizations HTTP/1.1`,
      `Host: ${ownHost()}`,
      `${RUN_KEY_HEADER}: ${"x".repeat(proxy.runKey.length)}`,
      bearer(),
      "Connection: close",
    ]);
    expect(wrongKey.status).toBe(403);
    expect(seen).toEqual([]);
    expect(pacer.stats.sent).toBe(0);
  });

  it("never relays the emulator's admin API (the tenant with its client secrets)", async () => {
    for (const host of ["rebind.attacker.example", ownHost()]) {
      const answer = await raw([`GET /__emulator/state HTTP/1.1`, `Host: ${host}`, runKey(), "Connection: close"]);
      expect(answer.status).toBe(403);
      expect(answer.text).not.toContain(SEEDED_SECRET);
    }
    expect(pacer.stats.sent).toBe(0);
  });

  it("answers only its own Host", async () => {
    const answer = await raw([
      `GET /api/v2/organizations HTTP/1.1`,
      `Host: rebind.attacker.example:${proxyAddress().port}`,
      runKey(),
      bearer(),
      "Connection: close",
    ]);
    expect(answer.status).toBe(403);
    expect(pacer.stats.sent).toBe(0);
  });

  it("takes origin-form targets only: no way to another loopback port", async () => {
    const elsewhere = new URL(other.url).host;
    for (const target of [
      `//${elsewhere}/__emulator/state`,
      `http://${elsewhere}/__emulator/state`,
      `http://${elsewhere}/api/v2/organizations`,
      `//${elsewhere}/api/v2/organizations`,
      "*",
    ]) {
      const answer = await raw([`GET ${target} HTTP/1.1`, `Host: ${ownHost()}`, runKey(), bearer(), "Connection: close"]);
      expect(answer.status, target).toBe(403);
    }
    expect(pacer.stats.sent).toBe(0);
  });

  it("refuses a foreign Origin, a CORS preflight, and methods or paths outside the spec (such as POST /oauth/token)", async () => {
    const requests = [
      [`GET /api/v2/organizations HTTP/1.1`, `Origin: http://rebind.attacker.example:${proxyAddress().port}`],
      [`OPTIONS /api/v2/organizations HTTP/1.1`, "Origin: http://attacker.example", "Access-Control-Request-Method: DELETE"],
      [`POST /oauth/token HTTP/1.1`, "Content-Type: application/json", "Content-Length: 2"],
      [`PUT /api/v2/organizations HTTP/1.1`],
      [`DELETE /api/v2/organizations HTTP/1.1`],
      [`GET /api/v2/users HTTP/1.1`],
      [`GET /api/v2/organizations/x/../../../__emulator/state HTTP/1.1`],
    ];
    for (const [requestLine, ...headers] of requests) {
      const answer = await raw(
        [requestLine!, `Host: ${ownHost()}`, runKey(), bearer(), ...headers, "Connection: close"],
        requestLine!.startsWith("POST") ? "{}" : "",
      );
      expect(answer.status, requestLine).toBe(403);
    }
    expect(pacer.stats.sent).toBe(0);
  });

  it("refuses a body larger than the tenant accepts before reading it all, declared or chunked", async () => {
    const declared = await raw([
      `POST /api/v2/organizations HTTP/1.1`,
      `Host: ${ownHost()}`,
      runKey(),
      bearer(),
      "Content-Type: application/json",
      `Content-Length: ${128 * 1024 * 1024}`,
      "Connection: close",
    ]);
    expect(declared.status).toBe(403);
    const { hostname, port } = proxyAddress();
    // A chunked body that never ends: the proxy stops reading once it passes the limit (it is not buffered whole)
    // and closes the connection. The 403 arrives unless the reset of the still-writing client overtakes it.
    const chunked = await new Promise<{ status: number; sentBytes: number }>((resolve, reject) => {
      let sentBytes = 0;
      let text = "";
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          [
            `POST /api/v2/organizations HTTP/1.1`,
            `Host: ${ownHost()}`,
            runKey(),
            bearer(),
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
            "",
            "",
          ].join("\r\n"),
        );
        const chunk = Buffer.alloc(64 * 1024, "a");
        const pump = () => {
          if (socket.destroyed || socket.writableEnded) return;
          sentBytes += chunk.length;
          if (socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk) && socket.write("\r\n")) setImmediate(pump);
          else socket.once("drain", pump);
        };
        pump();
      });
      const done = () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), sentBytes });
      socket.on("data", (data) => (text += data.toString()));
      socket.on("error", done);
      socket.on("close", done);
      setTimeout(() => reject(new Error("the proxy kept reading an endless body")), 10_000).unref();
    });
    expect([403, 0]).toContain(chunked.status);
    expect(chunked.sentBytes).toBeLessThan(64 * 1024 * 1024);
    expect(pacer.stats.sent).toBe(0);
  });
});

describe("the contract proxy's deadline", () => {
  let silent: Server;
  afterAll(() => new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve())));

  it("gives each forwarded request its own deadline, so that a target that never answers holds the pacer no longer", async () => {
    const sockets: import("node:net").Socket[] = [];
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    const port = (silent.address() as AddressInfo).port;
    const stuckPacer = new Pacer();
    const stuck = await startProxy(addressOfBaseUrl(`http://127.0.0.1:${port}/api/v2`), {
      pacer: stuckPacer,
      send: confinedFetch({ live: false }, 300),
      timeoutMs: 300,
    });
    try {
      const started = Date.now();
      const call = () =>
        fetch(`${stuck.endpoint}/organizations`, { headers: { [RUN_KEY_HEADER]: stuck.runKey, authorization: "Bearer x" } }).then((r) => r.status);
      // Two at once: the second waits for the first's deadline, not for ever.
      expect(await Promise.all([call(), call()])).toEqual([502, 502]);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await stuck.close();
    }
  });
});
