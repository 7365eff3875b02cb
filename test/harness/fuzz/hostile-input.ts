/**
 * Hostile input, generated: what an attacker sends rather than what a careless client does. fast-check draws
 * inputs from five families, each aimed at a finding of issue 13, and sends them over raw HTTP to one emulator:
 *
 * - nesting: bodies nested past the depth limit (objects, arrays, both) on every operation with a body, the admin
 *   API's seed and /oauth/token;
 * - numbers: every integer query parameter of the spec spelt as JavaScript would read it (`1e309`, `Infinity`,
 *   `0x10`, ` 5 `, `+1`, full-width digits, past 2^53), and `__proto__`-like parameter names;
 * - encodings: malformed percent-escapes in paths and Basic credentials, bytes that are not UTF-8, bodies in other
 *   charsets;
 * - header sizes: headers and request targets past Node's 16 KB limit, malformed request lines and Host headers;
 * - admin access: the admin API asked from a foreign Origin or Host, or written without JSON.
 *
 * Every input must be answered with a 4xx in Auth0's error shape (the OAuth shape on /oauth/token), never a 5xx,
 * never without an answer, and the tenant must be exactly as it was.
 */
import fc from "fast-check";
import { MAX_JSON_DEPTH } from "../../../src/emulator/body.js";
import { type EmulatorMiddleware, type RunningEmulator, type SeedData, startEmulator } from "../../../src/emulator/index.js";
import { isAuth0ErrorBody } from "../../../src/shared/auth0-error.js";
import { type JsonSchema, listOperations, requestBodySchema } from "../../../src/shared/spec.js";
import { type RawResponse, sendRaw, sendRawBytes } from "./raw-http.js";
import { API_PREFIX } from "../../helpers/response-checker.js";

export type HostileFamily = "nesting" | "numbers" | "encodings" | "header sizes" | "admin access";

/** One hostile input: a request over HTTP, or raw bytes on a socket (what an HTTP client library refuses to send). */
export interface HostileInput {
  family: HostileFamily;
  name: string;
  request: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer } | { bytes: string };
  /** Answered by the Authentication API (`{error, error_description}`) rather than the Management API. */
  oauth?: boolean;
}

export interface HostileOptions {
  /** Generated inputs on top of the fixed ones. */
  generated: number;
  seed: number;
  /** Wrapped around the emulator under test (to check that the suite notices a broken one). */
  middleware?: EmulatorMiddleware[];
}

export interface HostileReport {
  inputs: number;
  byFamily: Record<string, number>;
  /** Answered with a 4xx in the expected error shape. */
  rejected: number;
  serverErrors: number;
  /** Inputs that got no answer (the connection died or hung). */
  crashes: number;
  stateUnchanged: boolean;
  failures: string[];
}

const ORG = "org_hostile0000000001";
const DB = "con_hostiledb00000001";
const SEED: SeedData = {
  organizations: [{ id: ORG, name: "hostile-org" }],
  connections: [{ id: DB, name: "hostile-db", strategy: "auth0" }],
  clients: [{ client_id: "hostile-app", client_secret: "hostile-secret-value" }],
  links: [{ organization_id: ORG, connection_id: DB, assign_membership_on_login: true }],
};
const JSON_TYPE = { "content-type": "application/json" };

/** An operation's path with the seeded ids in it. */
function concretePath(template: string): string {
  return API_PREFIX + template.replace(/\{([^}]+)\}/g, (_, name: string) => (name === "id" && template.startsWith("/organizations") ? ORG : DB));
}

const bodyOperations = () => listOperations().filter((op) => requestBodySchema(op) !== undefined);
const integerQueryParams = () =>
  listOperations().flatMap((op) =>
    op.parameters.filter((p) => p.in === "query" && (p.schema as JsonSchema | undefined)?.type === "integer").map((p) => ({ op, name: p.name })),
  );

/** Text nesting `depth` levels of objects, arrays or both, with a string full of brackets inside for good measure. */
function nestedJson(depth: number, shape: "object" | "array" | "mixed"): string {
  let open = "";
  let close = "";
  for (let level = 0; level < depth; level += 1) {
    const asArray = shape === "array" || (shape === "mixed" && level % 2 === 1);
    open += asArray ? "[" : '{"k":';
    close = (asArray ? "]" : "}") + close;
  }
  return `${open}"[{"${close}`;
}

const DEPTHS = fc.oneof(fc.constant(MAX_JSON_DEPTH + 1), fc.integer({ min: MAX_JSON_DEPTH + 1, max: 5_000 }), fc.constantFrom(1_924, 100_000));

function nestingArbitrary(): fc.Arbitrary<HostileInput> {
  const targets = [
    ...bodyOperations().map((op) => ({ method: op.method.toUpperCase(), path: concretePath(op.pathTemplate), oauth: false })),
    { method: "POST", path: "/__emulator/seed", oauth: false },
    { method: "POST", path: "/oauth/token", oauth: true },
  ];
  return fc
    .record({
      target: fc.constantFrom(...targets),
      depth: DEPTHS,
      shape: fc.constantFrom("object", "array", "mixed") as fc.Arbitrary<"object" | "array" | "mixed">,
    })
    .map(({ target, depth, shape }) => {
      // Nested inside a field where the body takes free-form JSON, or as the whole body.
      const inner = nestedJson(depth - 1, shape);
      const body = target.path.endsWith("/clients") ? `[${inner}]` : `{"options":${inner}}`;
      return {
        family: "nesting",
        name: `${target.method} ${target.path} nested ${depth} levels (${shape})`,
        request: { method: target.method, path: target.path, headers: JSON_TYPE, body },
        oauth: target.oauth,
      };
    });
}

const NUMBER_SPELLINGS = [
  "1e309",
  "-1e309",
  "Infinity",
  "-Infinity",
  "NaN",
  "0x10",
  "0o7",
  "0b1",
  "%205%20",
  "%20",
  "1.0",
  "1e1",
  "+1",
  "%2B1",
  "-0x1",
  "1_000",
  "%EF%BC%91",
  "99999999999999999999",
  "9007199254740993",
  "1n",
  "0.5",
  "[]",
  "%00",
];

function numbersArbitrary(): fc.Arbitrary<HostileInput> {
  const spelled = fc.record({ param: fc.constantFrom(...integerQueryParams()), spelling: fc.constantFrom(...NUMBER_SPELLINGS) }).map(({ param, spelling }) => ({
    family: "numbers" as const,
    name: `GET ${param.op.pathTemplate}?${param.name}=${spelling}`,
    request: { method: "GET", path: `${concretePath(param.op.pathTemplate)}?${param.name}=${spelling}` },
  }));
  const listPaths = listOperations().filter((op) => op.method === "get");
  const prototypeKeys = fc
    .record({ op: fc.constantFrom(...listPaths), key: fc.constantFrom("__proto__", "constructor", "prototype", "__proto__[x]", "hasOwnProperty", "toString") })
    .map(({ op, key }) => ({
      family: "numbers" as const,
      name: `GET ${op.pathTemplate}?${key}=1`,
      request: { method: "GET", path: `${concretePath(op.pathTemplate)}?${key}=1` },
    }));
  return fc.oneof(spelled, prototypeKeys);
}

const BAD_ESCAPES = ["%", "%zz", "%C0%AF", "%ED%A0%80", "%FF", "%E0%A4%A"];

function encodingsArbitrary(): fc.Arbitrary<HostileInput> {
  const basic = fc.record({ escape: fc.constantFrom(...BAD_ESCAPES), inSecret: fc.boolean() }).map(({ escape, inSecret }) => {
    const credentials = inSecret ? `hostile-app:${escape}` : `${escape}:hostile-secret-value`;
    return {
      family: "encodings" as const,
      name: `POST /oauth/token with Basic credentials ${credentials}`,
      oauth: true,
      request: {
        method: "POST",
        path: "/oauth/token",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(credentials).toString("base64")}` },
        body: "grant_type=client_credentials",
      },
    };
  });
  const notUtf8 = fc
    .record({ op: fc.constantFrom(...bodyOperations()), bytes: fc.constantFrom([0xff, 0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80]) })
    .map(({ op, bytes }) => ({
      family: "encodings" as const,
      name: `${op.method.toUpperCase()} ${op.pathTemplate} with a name that is not UTF-8`,
      request: {
        method: op.method.toUpperCase(),
        path: concretePath(op.pathTemplate),
        headers: JSON_TYPE,
        body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from('","bogus_field":1}')]),
      },
    }));
  const otherCharset = fc.constantFrom("utf-16le", "latin1").map((charset) => ({
    family: "encodings" as const,
    name: `POST /organizations as ${charset}`,
    request: {
      method: "POST",
      path: `${API_PREFIX}/organizations`,
      headers: { "content-type": `text/plain; charset=${charset}` },
      body: Buffer.from('{"name":"charset-org"}', charset as BufferEncoding),
    },
  }));
  const paths = fc
    .record({
      escape: fc.constantFrom(...BAD_ESCAPES, "%2F..%2F", "..%00"),
      where: fc.constantFrom(`/organizations/{x}`, `/organizations/${ORG}/connections/{x}`, `/connections/{x}/clients`),
    })
    .map(({ escape, where }) => ({
      family: "encodings" as const,
      name: `GET ${where.replace("{x}", escape)}`,
      request: { method: "GET", path: API_PREFIX + where.replace("{x}", `id${escape}`) },
    }));
  const queryEscapes = fc.constantFrom(...BAD_ESCAPES).map((escape) => ({
    family: "encodings" as const,
    name: `GET connections?per_page=${escape}`,
    request: { method: "GET", path: `${API_PREFIX}/organizations/${ORG}/connections?per_page=${escape}` },
  }));
  return fc.oneof(basic, notUtf8, otherCharset, paths, queryEscapes);
}

function headerSizesArbitrary(): fc.Arbitrary<HostileInput> {
  const bigHeader = fc.integer({ min: 17, max: 64 }).map((kb) => ({
    family: "header sizes" as const,
    name: `a ${kb} KB header`,
    request: { bytes: `GET ${API_PREFIX}/organizations/${ORG} HTTP/1.1\r\nHost: localhost\r\nX-Filler: ${"a".repeat(kb * 1024)}\r\nConnection: close\r\n\r\n` },
  }));
  const manyHeaders = fc.integer({ min: 600, max: 2_000 }).map((count) => ({
    family: "header sizes" as const,
    name: `${count} headers of 30 bytes`,
    request: {
      bytes: `GET ${API_PREFIX}/organizations/${ORG} HTTP/1.1\r\nHost: localhost\r\n${Array.from({ length: count }, (_, i) => `X-H${String(i).padStart(5, "0")}: ${"v".repeat(16)}\r\n`).join("")}Connection: close\r\n\r\n`,
    },
  }));
  const longTarget = fc.integer({ min: 17, max: 40 }).map((kb) => ({
    family: "header sizes" as const,
    name: `a ${kb} KB request target`,
    request: { bytes: `GET ${API_PREFIX}/organizations/${"o".repeat(kb * 1024)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n` },
  }));
  const malformed = fc
    .constantFrom(
      "GARBAGE\r\n\r\n",
      "GET /api/v2/organizations HTTP/9.9\r\nHost: localhost\r\n\r\n",
      "GET /api/v2/organizations\r\n\r\n",
      "GET /api/v2/organizations HTTP/1.1\r\nConnection: close\r\n\r\n",
      "GET /api/v2/organizations HTTP/1.1\r\nHost: bad host/\r\nConnection: close\r\n\r\n",
      "GET /api/v2/organizations HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n",
      "GET /api/v2/organizations HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab",
      "GET /api/v2/organizations HTTP/1.1\r\nHost: localhost\r\nBad Header Name: x\r\nConnection: close\r\n\r\n",
      "GET /api/v2/organizations HTTP/1.1\r\nHost: localhost\r\nX-Null: a\u0000b\r\nConnection: close\r\n\r\n",
    )
    .map((bytes) => ({ family: "header sizes" as const, name: `malformed: ${JSON.stringify(bytes.slice(0, 60))}`, request: { bytes } }));
  return fc.oneof(bigHeader, manyHeaders, longTarget, malformed);
}

function adminAccessArbitrary(): fc.Arbitrary<HostileInput> {
  const writes = ["/seed", "/reset", "/clear", "/faults", "/token"].map((p) => `/__emulator${p}`);
  const foreignOrigin = fc
    .record({
      path: fc.constantFrom(...writes, "/__emulator/state"),
      origin: fc.constantFrom("https://attacker.example", "null", "http://localhost.attacker.example", "http://127.0.0.1.nip.io"),
    })
    .map(({ path, origin }) => ({
      family: "admin access" as const,
      name: `${path} from Origin ${origin}`,
      request: { method: path.endsWith("/state") ? "GET" : "POST", path, headers: { origin, ...JSON_TYPE }, body: path.endsWith("/state") ? undefined : "{}" },
    }));
  const foreignHost = fc
    .record({
      path: fc.constantFrom("/__emulator/state", "/__emulator/token"),
      host: fc.constantFrom("attacker.example", "attacker.example:8787", "127.0.0.1.nip.io", "localhost.attacker.example", "[::2]"),
    })
    .map(({ path, host }) => ({
      family: "admin access" as const,
      name: `${path} with Host ${host}`,
      request: { method: path.endsWith("/state") ? "GET" : "POST", path, headers: { host, ...JSON_TYPE }, body: path.endsWith("/state") ? undefined : "{}" },
    }));
  const notJson = fc
    .record({
      path: fc.constantFrom(...writes),
      type: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined),
    })
    .map(({ path, type }) => ({
      family: "admin access" as const,
      name: `POST ${path} as ${type ?? "no content type"}`,
      request: { method: "POST", path, headers: (type === undefined ? {} : { "content-type": type }) as Record<string, string>, body: "{}" },
    }));
  return fc.oneof(foreignOrigin, foreignHost, notJson);
}

/** The fixed inputs named in issue 13, then `generated` more drawn from every family. */
export function hostileInputs(generated: number, seed: number): HostileInput[] {
  const fixed: HostileInput[] = [
    {
      family: "nesting",
      name: "PATCH /connections/{id} options nested 100,000 levels",
      request: { method: "PATCH", path: `${API_PREFIX}/connections/${DB}`, headers: JSON_TYPE, body: `{"options":${nestedJson(99_999, "object")}}` },
    },
    {
      family: "nesting",
      name: "POST /connections nested 1,924 levels",
      request: {
        method: "POST",
        path: `${API_PREFIX}/connections`,
        headers: JSON_TYPE,
        body: `{"name":"deep","strategy":"auth0","options":${nestedJson(1_923, "object")}}`,
      },
    },
    ...["page=1e309", "page=Infinity&include_totals=true", "per_page=0x10", "per_page=%205%20", "__proto__=x"].map((query) => ({
      family: "numbers" as const,
      name: `GET connections?${query}`,
      request: { method: "GET", path: `${API_PREFIX}/organizations/${ORG}/connections?${query}` },
    })),
    {
      family: "encodings",
      name: "Basic credentials my-app:%",
      oauth: true,
      request: {
        method: "POST",
        path: "/oauth/token",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from("hostile-app:%").toString("base64")}` },
        body: "grant_type=client_credentials",
      },
    },
    { family: "header sizes", name: "headers over 16 KB", request: { bytes: `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(17 * 1024)}\r\n\r\n` } },
    {
      family: "admin access",
      name: "POST /__emulator/clear from a web page",
      request: { method: "POST", path: "/__emulator/clear", headers: { origin: "https://attacker.example", "content-type": "text/plain" }, body: "" },
    },
  ];
  const drawn = fc.sample(fc.oneof(nestingArbitrary(), numbersArbitrary(), encodingsArbitrary(), headerSizesArbitrary(), adminAccessArbitrary()), {
    numRuns: generated,
    seed,
  });
  return [...fixed, ...drawn];
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isOAuthErrorBody(value: unknown): boolean {
  const v = value as Record<string, unknown> | undefined;
  return typeof v?.error === "string" && typeof v.error_description === "string";
}

/** The problems with one answer (empty when it is a 4xx in the right shape). */
function judge(input: HostileInput, response: RawResponse): string[] {
  const problems: string[] = [];
  if (response.status === 0) problems.push("no HTTP answer");
  else if (response.status >= 500) problems.push(`server error ${response.status}`);
  else if (response.status < 400) problems.push(`accepted with ${response.status}`);
  const body = parsed(response.body);
  const shaped = input.oauth ? isOAuthErrorBody(body) : isAuth0ErrorBody(body) && (body as { statusCode: number }).statusCode === response.status;
  if (response.status >= 400 && !shaped) problems.push(`error body not in ${input.oauth ? "the OAuth" : "Auth0's"} shape: ${response.body.slice(0, 100)}`);
  return problems;
}

/** The tenant as JSON, or why it cannot be read back (a broken record makes the copy fail). */
function snapshotText(emulator: RunningEmulator): string {
  try {
    return JSON.stringify(emulator.state.snapshot());
  } catch (error) {
    return `unreadable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export async function runHostileInputSuite(options: HostileOptions): Promise<HostileReport> {
  const inputs = hostileInputs(options.generated, options.seed);
  const emulator: RunningEmulator = await startEmulator({ seed: SEED, rateLimit: false, middleware: options.middleware });
  const token = await emulator.issueToken();
  const report: HostileReport = { inputs: 0, byFamily: {}, rejected: 0, serverErrors: 0, crashes: 0, stateUnchanged: true, failures: [] };
  const start = snapshotText(emulator);
  try {
    for (const input of inputs) {
      report.inputs += 1;
      report.byFamily[input.family] = (report.byFamily[input.family] ?? 0) + 1;
      let response: RawResponse;
      try {
        response =
          "bytes" in input.request
            ? await sendRawBytes(emulator.url, input.request.bytes)
            : await sendRaw(emulator.url, { ...input.request, headers: { authorization: `Bearer ${token}`, ...input.request.headers } });
      } catch (error) {
        report.crashes += 1;
        report.failures.push(`[${input.family}] ${input.name}: no answer (${error instanceof Error ? error.message : String(error)})`);
        continue;
      }
      if (response.status >= 500) report.serverErrors += 1;
      const problems = judge(input, response);
      if (problems.length === 0) report.rejected += 1;
      if (response.status === 0) report.crashes += 1;
      const now = snapshotText(emulator);
      if (now !== start) {
        report.stateUnchanged = false;
        problems.push("the tenant changed");
        emulator.state.reset();
      }
      report.failures.push(...problems.map((p) => `[${input.family}] ${input.name}: ${p}`));
    }
    // Still serving, with its data.
    const alive = await sendRaw(emulator.url, { method: "GET", path: `${API_PREFIX}/organizations/${ORG}`, headers: { authorization: `Bearer ${token}` } });
    if (alive.status !== 200) report.failures.push(`after the hostile inputs the emulator answered a valid request with ${alive.status}`);
  } finally {
    await emulator.close();
  }
  return report;
}
