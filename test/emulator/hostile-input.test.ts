/**
 * Hostile input (issue 13): deep nesting, numbers in odd spellings, an endless /oauth/token body, malformed Basic
 * credentials, requests Node itself refuses, unknown fault keys, clients that vanish mid-body. Each is a 4xx in
 * Auth0's shape (or the OAuth shape on /oauth/token) and leaves the tenant as it was.
 */
import { connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_PAYLOAD_BYTES, startEmulator } from "../../src/emulator/index.js";
import { MAX_JSON_DEPTH } from "../../src/emulator/body.js";
import { linkDefaultsFromSpec } from "../../src/emulator/spec-facts.js";
import { TenantStore } from "../../src/emulator/store.js";
import { auth0Error, basicTenant, type TestEmulator, testEmulator } from "./helpers.js";

let t: TestEmulator;
let ids: { org: string; db: string; okta: string };
beforeEach(async () => {
  t = await testEmulator({ clients: [{ clientId: "my-app", clientSecret: "my-app-secret-value", scopes: ["read:organizations"] }] });
  ids = await basicTenant(t);
});
afterEach(() => t.expectNoViolations());

/** `{"a":{"a":…{}…}}` with `depth` objects. */
const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;
const invalidBody = (res: { status: number; body: any }) => {
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ statusCode: 400, error: "Bad Request", errorCode: "invalid_body" });
};

describe("JSON nesting depth", () => {
  it(`PATCH /connections/{id} with options nested 100,000 levels → 400, nothing stored, later reads and the admin API intact`, async () => {
    const before = t.emulator.state.snapshot();
    const body = `{"options":${nested(100_000)}}`;
    expect(body.length).toBeLessThan(MAX_PAYLOAD_BYTES);
    invalidBody(await t.call("PATCH", `/connections/${ids.db}`, { rawBody: body, headers: { "content-type": "application/json" } }));
    expect(t.emulator.state.snapshot()).toEqual(before);
    expect((await t.call("GET", `/connections/${ids.db}`)).status).toBe(200);
    const state = await t.emulator.fetch("http://localhost/__emulator/state");
    expect(state.status).toBe(200);
    const reseed = await t.emulator.fetch("http://localhost/__emulator/seed", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: await state.text(),
    });
    expect(reseed.status).toBe(204);
  });

  it(`POST /connections nested 1,924 levels → 400; exactly ${MAX_JSON_DEPTH} levels is fine, one more is not`, async () => {
    const post = (options: string, name: string) =>
      t.call("POST", "/connections", {
        rawBody: `{"name":"${name}","strategy":"auth0","options":${options}}`,
        headers: { "content-type": "application/json" },
      });
    invalidBody(await post(nested(1_923), "deep"));
    // The body object is one level, options the rest.
    expect((await post(nested(MAX_JSON_DEPTH - 1), "deep-ok")).status).toBe(201);
    const tooDeep = await post(nested(MAX_JSON_DEPTH), "deep-no");
    invalidBody(tooDeep);
    expect(tooDeep.body.message).toMatch(new RegExp(`nested deeper than ${MAX_JSON_DEPTH} levels`));
    // Brackets inside strings are not nesting.
    expect((await post(`{"k":"${"[{".repeat(500)}\\"${"]}".repeat(500)}"}`, "brackets-in-strings")).status).toBe(201);
    // Arrays count too, on every route with a body (and on the admin API).
    invalidBody(
      await t.call("PATCH", `/connections/${ids.db}/clients`, {
        rawBody: `${"[".repeat(5_000)}${"]".repeat(5_000)}`,
        headers: { "content-type": "application/json" },
      }),
    );
    const seed = await t.emulator.fetch("http://localhost/__emulator/seed", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"organizations":[{"name":"x","metadata":${nested(3_000)}}]}`,
    });
    expect(seed.status).toBe(400);
  });
});

describe("store changes are all-or-nothing", () => {
  it("a change that fails half way leaves the tenant, its list order and later reads as they were", () => {
    const store = new TenantStore(linkDefaultsFromSpec(), { entityLimit: 10 });
    const { organization: org } = store.createOrganization({ name: "acme" });
    const [a, b, c] = ["a", "b", "c"].map((name) => store.createConnection({ name, strategy: "auth0" }));
    for (const connection of [a!, b!, c!]) store.createLink(org.id, { connection_id: connection.id });
    const before = structuredClone(store.data);
    const order = store.listLinks(org.id).map((l) => l.connection_id);

    expect(() =>
      store.atomically(() => {
        store.deleteConnection(a!.id);
        store.updateLink(org.id, b!.id, { is_enabled: false });
        store.createOrganization({ name: "globex" });
        store.upsertClient({ client_id: "x" });
        store.deleteOrganization(org.id);
        throw new Error("fails after the writes");
      }),
    ).toThrow("fails after the writes");
    expect(store.data).toEqual(before);
    expect(store.listLinks(org.id).map((l) => l.connection_id)).toEqual(order);
    expect(store.getLink(org.id, b!.id).is_enabled).toBe(true);
  });
});

describe("numbers in query strings", () => {
  it("only plain decimal integers within the spec's bounds; anything else is 400 invalid_query_string", async () => {
    const list = `/organizations/${ids.org}/connections`;
    for (const query of [
      "page=1e309",
      "page=Infinity",
      "per_page=0x10",
      "per_page=%205%20",
      "per_page=1e1",
      "page=1.0",
      "page=%2B1",
      "per_page=",
      "page=99999999999999999999",
      "page=0b1",
    ]) {
      const res = await t.call("GET", `${list}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errorCode, query).toBe("invalid_query_string");
    }
    const withTotals = await t.call("GET", `${list}?page=Infinity&include_totals=true`);
    expect(withTotals.status).toBe(400);
    expect((await t.call("GET", `${list}?page=0&per_page=16`)).status).toBe(200);
    expect((await t.call("GET", `/connections/${ids.db}/clients?take=0x10`)).body.errorCode).toBe("invalid_query_string");
  });

  it("?__proto__=x is an unknown parameter like any other", async () => {
    const res = await t.call("GET", `/organizations/${ids.org}/connections?__proto__=x`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(auth0Error(400, "Bad Request", "Query validation error: 'Additional properties not allowed: __proto__'.", "invalid_query_string"));
    expect((await t.call("GET", `/organizations/${ids.org}/connections?constructor=x`)).status).toBe(400);
  });
});

describe("POST /oauth/token", () => {
  it("stops reading a body at the 1 MB limit", async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        if (sent > 50 * MAX_PAYLOAD_BYTES) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await t.emulator.fetch(
      new Request("http://localhost/oauth/token", {
        method: "POST",
        body: endless,
        duplex: "half",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      } as RequestInit),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "invalid_request", error_description: `The request body is larger than ${MAX_PAYLOAD_BYTES} bytes.` });
    expect(sent).toBeLessThan(2 * MAX_PAYLOAD_BYTES);
  });

  it("Basic credentials with a bad % escape → 401 access_denied, as for wrong credentials", async () => {
    for (const credentials of ["my-app:%", "%zz:my-app-secret-value", "my-app:%E0%A4%A"]) {
      const res = await t.emulator.fetch(
        new Request("http://localhost/oauth/token", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(credentials).toString("base64")}` },
          body: "grant_type=client_credentials",
        }),
      );
      expect(res.status, credentials).toBe(401);
      expect(await res.json()).toEqual({ error: "access_denied", error_description: "Unauthorized" });
    }
  });
});

describe("fault settings", () => {
  it("refuses unknown keys inside status and drop, like unknown top-level keys", async () => {
    const set = (faults: unknown) =>
      t.emulator.fetch("http://localhost/__emulator/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(faults) });
    for (const faults of [{ status: { code: 503, cuont: 1 } }, { drop: { fraction: 0.5, every: 2 } }, { drop: [] }]) {
      const res = await set(faults);
      expect(res.status, JSON.stringify(faults)).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/Unknown fault setting: (status\.cuont|drop\.every)|faults\.drop must be an object/);
    }
    expect(t.emulator.faults.current()).toEqual({});
    expect(() => t.emulator.faults.set({ status: { code: 503, colour: "red" } as never })).toThrow(/status\.colour/);
  });
});

describe("over HTTP", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    vi.restoreAllMocks();
  });

  /** Writes raw bytes and reads everything until the server closes the socket. */
  function exchange(port: number, bytes: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let text = "";
      socket.setTimeout(5_000, () => socket.destroy(new Error("no answer")));
      socket.on("data", (chunk) => (text += String(chunk)));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
      socket.write(bytes);
    });
  }

  function parseRaw(text: string) {
    const [head = "", body = ""] = text.split("\r\n\r\n");
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, body: JSON.parse(body) as unknown };
  }

  it("Node's own rejections (431 headers too large, 400 malformed request, 400 missing or bad Host) answer in Auth0's shape", async () => {
    const running = await startEmulator();
    closers.push(() => running.close());
    const big = parseRaw(await exchange(running.port, `GET /api/v2/organizations/x HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`));
    expect(big.status).toBe(431);
    expect(big.head).toMatch(/content-type: application\/json/i);
    expect(big.body).toEqual({ statusCode: 431, error: "Request Header Fields Too Large", message: "Request header fields too large" });
    const malformed = parseRaw(await exchange(running.port, "GARBAGE\r\n\r\n"));
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual(auth0Error(400, "Bad Request", "Malformed HTTP request"));
    const noHost = parseRaw(await exchange(running.port, "GET /api/v2/organizations/x HTTP/1.1\r\nConnection: close\r\n\r\n"));
    expect(noHost.status).toBe(400);
    expect(noHost.body).toEqual(auth0Error(400, "Bad Request", "Missing Host header"));
    const badHost = parseRaw(await exchange(running.port, "GET /api/v2/organizations/x HTTP/1.1\r\nHost: bad host/\r\nConnection: close\r\n\r\n"));
    expect(badHost.status).toBe(400);
    expect(badHost.body).toMatchObject({ statusCode: 400, error: "Bad Request" });
  });

  it("a client that disconnects mid-body is not logged as an unexpected error", async () => {
    const running = await startEmulator();
    closers.push(() => running.close());
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const token = await running.issueToken();
    await Promise.all(
      Array.from(
        { length: 5 },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect(running.port, "127.0.0.1", () => {
              socket.write(
                `POST /api/v2/organizations HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`,
              );
              setTimeout(() => socket.destroy(), 100);
            });
            socket.on("close", () => resolve());
            socket.on("error", () => resolve());
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(errors.mock.calls.map((call) => String(call[0])).filter((line) => /unexpected error/.test(line))).toEqual([]);
    expect(running.state.snapshot().organizations).toEqual([]);
  });
});
