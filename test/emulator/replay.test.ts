/**
 * Replays every interaction recorded from live Auth0 tenants against the emulator: the same request, after
 * setting up the state the recording implies (the resources it names exist — or, for a recorded "already gone"
 * 204, do not — and a recorded list's links are the ones the organization holds). The emulator must answer with
 * the recorded status and a body of the same shape:
 *
 * - the same keys with the same JSON types, recursively (`options` is compared only as an object: its contents are
 *   strategy- and discovery-specific);
 * - no extra key unless another recording of the same operation has it at the same place in the body (tenants of
 *   different ages differ: newer ones add fields, at the top level and inside list items);
 * - the same values where the value is the behaviour under test: booleans (defaults, PATCH semantics), access
 *   levels, strategies, paging numbers (`start`/`limit`/`total`) and error bodies;
 * - arrays of the same length.
 *
 * Recordings of one source are replayed in order against one emulator, so created ids carry over.
 *
 * All 622 recordings are replayed. The two curated sets (`SEQUENTIAL_RECORDING_FILES`) keep each test's calls in
 * order with their set-up steps and are replayed by source. The two history sets are de-duplicated cassettes,
 * replayed cassette by cassette on one emulator per file; where a dropped call set up what an answer shows (a
 * GET showing a display name or enabled clients an unrecorded update set), the stored record first takes the
 * recorded fields (recorded-state.ts). A recorded 400 `Bearer` is replayed with a malformed Authorization header
 * and a recorded 429 with the emulator's fault injection, since the recordings keep no headers.
 */
import { describe, expect, it } from "vitest";
import { describeInteraction, loadRecordings, type RecordedInteraction, recordingFiles, SEQUENTIAL_RECORDING_FILES } from "../helpers/recordings.js";
import { type TestEmulator, testEmulator } from "./helpers.js";
import { matchRecordedConnection, matchRecordedOrganization } from "./recorded-state.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const recordings = loadRecordings(SEQUENTIAL_RECORDING_FILES);
/** Every recording, for the keys newer tenants send (the extras a replayed answer may carry). */
const allRecordings = loadRecordings();
const VALUE_KEYS = new Set(["start", "limit", "total", "statusCode", "error", "message", "errorCode", "strategy", "organization_access_level"]);
const OPAQUE_KEYS = new Set(["options"]);

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const isObject = (v: unknown): v is JsonObject => typeOf(v) === "object";

/** Where a key sits in a body, with list positions left out: `body.enabled_connections[].connection`. */
const place = (path: string) => path.replace(/\[\d+\]/g, "[]");

/** Keys seen at each place in any recorded body of each operation (what some live tenant sends). */
const keysByOperation = new Map<string, Set<string>>();
function collectKeys(operation: string, value: Json, path: string): void {
  if (Array.isArray(value)) for (const item of value) collectKeys(operation, item, `${path}[]`);
  else if (isObject(value)) {
    const key = `${operation} ${path}`;
    const seen = keysByOperation.get(key) ?? new Set<string>();
    for (const [k, v] of Object.entries(value)) {
      seen.add(k);
      if (!OPAQUE_KEYS.has(k)) collectKeys(operation, v, `${path}.${k}`);
    }
    keysByOperation.set(key, seen);
  }
}
for (const r of allRecordings) collectKeys(`${r.method} ${r.pathTemplate} ${r.status}`, r.responseBody as Json, "body");

/** `allowedExtras(path)`: keys the comparison accepts at `path` although this recording lacks them. */
export function shapeDifferences(recorded: Json, actual: Json, allowedExtras: (path: string) => ReadonlySet<string>, path = "body"): string[] {
  if (typeOf(recorded) !== typeOf(actual)) return [`${path}: recorded ${typeOf(recorded)}, got ${typeOf(actual)}`];
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    if (recorded.length !== actual.length) return [`${path}: recorded ${recorded.length} items, got ${actual.length}`];
    return recorded.flatMap((item, i) => shapeDifferences(item, actual[i] as Json, allowedExtras, `${path}[${i}]`));
  }
  if (isObject(recorded) && isObject(actual)) {
    const problems: string[] = [];
    for (const key of Object.keys(recorded)) {
      if (!(key in actual)) problems.push(`${path}.${key}: missing`);
      else if (!OPAQUE_KEYS.has(key)) problems.push(...shapeDifferences(recorded[key] as Json, actual[key] as Json, allowedExtras, `${path}.${key}`));
      else if (typeOf(recorded[key]) !== typeOf(actual[key])) problems.push(`${path}.${key}: recorded ${typeOf(recorded[key])}, got ${typeOf(actual[key])}`);
    }
    const extras = allowedExtras(path);
    for (const key of Object.keys(actual)) if (!(key in recorded) && !extras.has(key)) problems.push(`${path}.${key}: not in the recording`);
    return problems;
  }
  const key = path.split(".").pop() ?? "";
  if ((typeof recorded === "boolean" || VALUE_KEYS.has(key)) && recorded !== actual)
    return [`${path}: recorded ${JSON.stringify(recorded)}, got ${JSON.stringify(actual)}`];
  return [];
}

/** Replays one source's recordings in order, mapping recorded ids to the emulator's. */
class Replayer {
  private ids = new Map<string, string>();
  /** Shared by every replayer, so that names made up for different cassettes on one emulator never collide. */
  private static counter = 0;

  constructor(private readonly t: TestEmulator) {}

  private unique(prefix: string) {
    Replayer.counter += 1;
    return `${prefix}-${Replayer.counter}`;
  }

  private mapped(recordedId: string) {
    return this.ids.get(recordedId) ?? recordedId;
  }

  private async exists(path: string) {
    return (await this.t.call("GET", path)).status === 200;
  }

  private async ensureOrganization(recordedId: string): Promise<string> {
    const id = this.mapped(recordedId);
    if (this.ids.has(recordedId) && (await this.exists(`/organizations/${id}`))) return id;
    const created = await this.t.call("POST", "/organizations", { body: { name: this.unique("org") } });
    this.ids.set(recordedId, created.body.id);
    return created.body.id;
  }

  private async ensureConnection(recordedId: string, hint?: { name?: string; strategy?: string }): Promise<string> {
    const id = this.mapped(recordedId);
    if (this.ids.has(recordedId) && (await this.exists(`/connections/${id}`))) return id;
    const taken = this.t.emulator.state.snapshot().connections.some((c) => c.name === hint?.name);
    const body = { name: hint?.name && !taken ? hint.name : this.unique("con"), strategy: hint?.strategy ?? "auth0" };
    const created = await this.t.call("POST", "/connections", { body });
    this.ids.set(recordedId, created.body.id);
    return created.body.id;
  }

  private async freeName(kind: "connections" | "organizations", name: unknown) {
    const snapshot = this.t.emulator.state.snapshot();
    const holder = (snapshot[kind] as Array<{ id?: string; name: string }>).find((e) => e.name === name);
    if (holder?.id) await this.t.call("DELETE", `/${kind}/${holder.id}`);
  }

  /** Makes an organization hold exactly these links (with these settings), plus fillers up to `total`. */
  private async setLinks(org: string, items: JsonObject[], total: number, enabled?: boolean) {
    const current = this.t.emulator.state.snapshot().links.filter((l) => l.organization_id === org);
    for (const link of current) await this.t.call("DELETE", `/organizations/${org}/connections/${link.connection_id}`);
    for (const item of items) await this.link(org, item);
    for (let i = items.length; i < total; i++) {
      const filler = await this.t.call("POST", "/connections", { body: { name: this.unique("filler"), strategy: "auth0" } });
      await this.t.call("POST", `/organizations/${org}/connections`, {
        body: { connection_id: filler.body.id, ...(enabled === undefined ? {} : { is_enabled: enabled }) },
      });
    }
  }

  /** Creates a link with the settings a recorded link item shows. */
  private async link(org: string, item: JsonObject) {
    const summary = item.connection as JsonObject | undefined;
    const connection = await this.ensureConnection(String(item.connection_id), { name: summary?.name as string, strategy: summary?.strategy as string });
    const settings: JsonObject = {};
    for (const key of [
      "assign_membership_on_login",
      "show_as_button",
      "is_signup_enabled",
      "is_enabled",
      "organization_access_level",
      "organization_connection_name",
    ]) {
      if (key in item) settings[key] = item[key] as Json;
    }
    this.t.emulator.state.seed({ links: [{ organization_id: org, connection_id: connection, ...settings }] });
  }

  /** A create-organization body with the fields an answer shows (names lower-cased, as the request schema needs). */
  private impliedOrganizationRequest(answer: JsonObject): JsonObject {
    const { id: _id, ...fields } = answer;
    return { ...fields, name: String(fields.name).toLowerCase() };
  }

  /** `enabled_connections` items of a create-organization request, pointed at this emulator's connections. */
  private async mapLinkItems(items: JsonObject[], answer: Json): Promise<JsonObject[]> {
    const answered = (isObject(answer) && Array.isArray(answer.enabled_connections) ? answer.enabled_connections : []) as JsonObject[];
    const mapped: JsonObject[] = [];
    for (const item of items) {
      const summary = answered.find((a) => a.connection_id === item.connection_id)?.connection as JsonObject | undefined;
      const connection = await this.ensureConnection(String(item.connection_id), { name: summary?.name as string, strategy: summary?.strategy as string });
      mapped.push({ ...item, connection_id: connection });
    }
    return mapped;
  }

  async replay(r: RecordedInteraction): Promise<{ status: number; body: Json }> {
    const segments = r.url
      .split("?")[0]!
      .replace(/^\/api\/v2/, "")
      .split("/")
      .filter(Boolean);
    const recordedBody = r.responseBody as Json;
    let requestBody = r.requestBody as Json;
    let path = "";

    if (segments[0] === "organizations" && segments[1] && !segments[2] && r.status === 404) {
      // Recorded "no such organization" (never created, or already deleted): make sure it is gone.
      if (this.ids.has(segments[1])) await this.t.call("DELETE", `/organizations/${this.mapped(segments[1])}`);
      path = `/organizations/${this.mapped(segments[1])}`;
    } else if (segments[0] === "organizations" && segments[1]) {
      const org = await this.ensureOrganization(segments[1]);
      path = `/organizations/${org}`;
      if (!segments[2] && r.method === "GET" && r.status === 200 && isObject(recordedBody)) matchRecordedOrganization(this.t, org, recordedBody);
      const family = segments[2];
      if (family) {
        path += `/${family}`;
        const connectionId = segments[3];
        if (connectionId) {
          const item = isObject(recordedBody) && "connection_id" in recordedBody ? recordedBody : undefined;
          const summary = item?.connection as JsonObject | undefined;
          const connection = await this.ensureConnection(connectionId, { name: summary?.name as string, strategy: summary?.strategy as string });
          path += `/${connection}`;
          const linked = this.t.emulator.state.snapshot().links.some((l) => l.organization_id === org && l.connection_id === connection);
          if (!linked && r.method !== "DELETE" && r.status !== 404) {
            // The link must exist for the recorded answer; give it the settings the recording shows (minus what this PATCH changes).
            const before: JsonObject = item ? { ...item } : { connection_id: connectionId };
            for (const key of Object.keys(isObject(requestBody) ? requestBody : {})) delete before[key];
            await this.link(org, before);
          }
        } else if (r.method === "GET" && recordedBody !== null) {
          const page = isObject(recordedBody) ? recordedBody : undefined;
          const items = (page ? (page.connections ?? page.enabled_connections) : recordedBody) as JsonObject[];
          const total = typeof page?.total === "number" ? page.total : items.length;
          const enabledFilter = r.query.is_enabled === undefined ? undefined : r.query.is_enabled === "true";
          await this.setLinks(org, items, total, enabledFilter);
        } else if (r.method === "POST" && isObject(requestBody)) {
          const summary = isObject(recordedBody) ? (recordedBody.connection as JsonObject | undefined) : undefined;
          const connection = await this.ensureConnection(String(requestBody.connection_id), {
            name: summary?.name as string,
            strategy: summary?.strategy as string,
          });
          if (r.status === 201) await this.t.call("DELETE", `/organizations/${org}/connections/${connection}`);
          requestBody = { ...requestBody, connection_id: connection };
        }
      }
    } else if (segments[0] === "organizations") {
      path = "/organizations";
      // One hand-written cassette lacks its request body; send the one its answer implies.
      if (requestBody === null && isObject(recordedBody)) requestBody = this.impliedOrganizationRequest(recordedBody);
      if (r.status === 201 && isObject(requestBody)) await this.freeName("organizations", requestBody.name);
      if (isObject(requestBody) && Array.isArray(requestBody.enabled_connections))
        requestBody = { ...requestBody, enabled_connections: await this.mapLinkItems(requestBody.enabled_connections as JsonObject[], recordedBody) };
    } else if (segments[0] === "connections" && segments[1]) {
      const recordedId = segments[1];
      if ((r.method === "DELETE" && r.status === 204) || (r.status === 404 && !segments[2])) {
        // Recorded "already gone" (or never there): make sure it is.
        if (this.ids.has(recordedId)) await this.t.call("DELETE", `/connections/${this.mapped(recordedId)}`);
        path = `/connections/${this.mapped(recordedId)}`;
      } else {
        const hint = isObject(recordedBody) ? { name: recordedBody.name as string, strategy: recordedBody.strategy as string } : undefined;
        const connection = await this.ensureConnection(recordedId, hint);
        path = `/connections/${connection}`;
        if (!segments[2] && r.method === "GET" && r.status === 200 && isObject(recordedBody)) matchRecordedConnection(this.t, connection, recordedBody);
      }
      if (segments[2]) path += `/${segments[2]}`;
    } else if (segments[0] === "connections") {
      path = "/connections";
      if (r.status === 201 && isObject(requestBody)) await this.freeName("connections", requestBody.name);
    }

    const query = Object.fromEntries(Object.entries(r.query).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]));
    // Failures the request itself does not explain: a malformed Authorization header, a spent rate limit.
    const errorCode = isObject(recordedBody) ? recordedBody.errorCode : undefined;
    const headers = r.status === 400 && errorCode === "Bearer" ? { authorization: "Bearer" } : undefined;
    if (r.status === 429) this.t.emulator.faults.set({ status: { code: 429, count: 1 } });
    const res = await this.t.call(r.method, path, { query, headers, body: requestBody === null ? undefined : requestBody });
    // Later recordings refer to what this one created by its recorded id.
    if (r.status === 201 && isObject(recordedBody) && typeof recordedBody.id === "string" && isObject(res.body))
      this.ids.set(recordedBody.id, String(res.body.id));
    return { status: res.status, body: (res.body ?? null) as Json };
  }
}

describe("replaying the recorded Auth0 traffic", () => {
  const bySource = new Map<string, RecordedInteraction[]>();
  for (const r of recordings) {
    const source = r.source.split("@")[0]!;
    bySource.set(source, [...(bySource.get(source) ?? []), r]);
  }

  it("covers every recorded interaction (none is skipped)", () => {
    expect([...bySource.values()].flat()).toHaveLength(recordings.length);
    const history = recordingFiles().filter((name) => !SEQUENTIAL_RECORDING_FILES.includes(name));
    expect(recordings.length + history.flatMap(cassettesOf).flat().length).toBe(allRecordings.length);
    expect(allRecordings).toHaveLength(622);
  });

  for (const [source, interactions] of bySource) {
    it(`${source}: every interaction gets the recorded status and a body of the same shape`, async () => {
      const t = await testEmulator();
      const replayer = new Replayer(t);
      const mismatches: string[] = [];
      for (const [i, r] of interactions.entries()) {
        const got = await replayer.replay(r);
        const label = describeInteraction(r, i);
        if (got.status !== r.status) {
          mismatches.push(`${label}: status ${got.status} (${JSON.stringify(got.body)})`);
          continue;
        }
        const extras = (path: string) => keysByOperation.get(`${r.method} ${r.pathTemplate} ${r.status} ${place(path)}`) ?? new Set<string>();
        for (const problem of shapeDifferences(r.responseBody as Json, got.body, extras)) mismatches.push(`${label}: ${problem}`);
      }
      expect(mismatches).toEqual([]);
      t.expectNoViolations();
    });
  }
});

/** The recordings of one source file, cassette by cassette (a cassette is one test's calls: `path#index` shares its path). */
function cassettesOf(file: string): RecordedInteraction[][] {
  const byCassette = new Map<string, RecordedInteraction[]>();
  for (const r of loadRecordings([file])) {
    const cassette = r.source.replace(/#\d+$/, "");
    byCassette.set(cassette, [...(byCassette.get(cassette) ?? []), r]);
  }
  return [...byCassette.values()];
}

describe("replaying the de-duplicated history recordings", () => {
  for (const file of recordingFiles().filter((name) => !SEQUENTIAL_RECORDING_FILES.includes(name))) {
    it(`${file}: every interaction gets the recorded status and a body of the same shape`, async () => {
      const t = await testEmulator();
      const mismatches: string[] = [];
      let index = 0;
      for (const cassette of cassettesOf(file)) {
        // A fresh id map per cassette: each one is a separate test against its own fixtures.
        const replayer = new Replayer(t);
        for (const r of cassette) {
          const label = describeInteraction(r, index++);
          const got = await replayer.replay(r);
          if (got.status !== r.status) {
            mismatches.push(`${label}: status ${got.status} (${JSON.stringify(got.body).slice(0, 300)})`);
            continue;
          }
          const extras = (path: string) => keysByOperation.get(`${r.method} ${r.pathTemplate} ${r.status} ${place(path)}`) ?? new Set<string>();
          for (const problem of shapeDifferences(r.responseBody as Json, got.body, extras)) mismatches.push(`${label}: ${problem}`);
        }
      }
      expect(mismatches).toEqual([]);
      t.expectNoViolations();
    }, 120_000);
  }
});

describe("the shape comparison itself", () => {
  it("catches a missing field, an extra field, a wrong type, a changed boolean and a wrong limit", () => {
    const none = () => new Set<string>();
    expect(shapeDifferences({ a: true, b: "x" }, { a: true }, none)).toEqual(["body.b: missing"]);
    expect(shapeDifferences({ a: true }, { a: true, c: 1 }, none)).toEqual(["body.c: not in the recording"]);
    expect(shapeDifferences({ a: true }, { a: true, c: 1 }, () => new Set(["c"]))).toEqual([]);
    const nested = (path: string) => new Set(path === "body.items[0]" ? ["c"] : []);
    expect(shapeDifferences({ items: [{ a: 1 }] }, { items: [{ a: 1, c: 1 }] }, nested)).toEqual([]);
    expect(shapeDifferences({ items: [{ a: 1 }] }, { items: [{ a: 1, d: 1 }] }, nested)).toEqual(["body.items[0].d: not in the recording"]);
    expect(shapeDifferences({ a: "1" }, { a: 1 }, none)).toEqual(["body.a: recorded string, got number"]);
    expect(shapeDifferences({ a: true }, { a: false }, none)).toEqual(["body.a: recorded true, got false"]);
    expect(shapeDifferences({ limit: 1 }, { limit: 50 }, none)).toEqual(["body.limit: recorded 1, got 50"]);
    expect(shapeDifferences({ id: "con_a" }, { id: "con_b" }, none)).toEqual([]);
    expect(shapeDifferences([{}], [], none)).toEqual(["body: recorded 1 items, got 0"]);
  });
});
