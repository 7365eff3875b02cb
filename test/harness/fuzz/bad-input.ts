/**
 * Bad input, case by case, over real HTTP (so the path reaches the server byte for byte): every case must be
 * answered with a 4xx in Auth0's error shape, valid against the spec, without changing the tenant. A few inputs
 * look hostile but are allowed by the spec (a page far past the end, a DELETE of an id that does not exist): those
 * must get a documented answer and change nothing. Inputs the spec accepts are checked to be stored verbatim.
 */
import { MAX_PAYLOAD_BYTES, type RunningEmulator, type SeedData, startEmulator } from "../../../src/emulator/index.js";
import { type RawRequest, sendRaw } from "./raw-http.js";
import { API_PREFIX, createResponseChecker, type ResponseChecker } from "../../helpers/response-checker.js";

/** `rejected`: 4xx, nothing changes. `harmless`: any documented answer, nothing changes. `accepted`: 2xx, stored verbatim. */
export type Expectation = "rejected" | "harmless" | "accepted";

export interface BadInputCase {
  category: string;
  name: string;
  expect: Expectation;
  request: RawRequest;
  /** For `accepted`: the value that must come back unchanged, and where to read it back. */
  readBack?: { path: string; field: string; value: string };
}

export interface BadInputReport {
  cases: number;
  byCategory: Record<string, number>;
  byExpectation: Record<Expectation, number>;
  failures: string[];
}

const ORG = "org_badinput000000001";
const DB = "con_badinputdb0000001";
const OKTA = "con_badinputokta00001";
const LONG_ID = "x".repeat(51);

const SEED: SeedData = {
  organizations: [{ id: ORG, name: "bad-input-org" }],
  connections: [
    { id: DB, name: "bad-input-db", strategy: "auth0" },
    { id: OKTA, name: "bad-input-okta", strategy: "okta", options: { domain: "bad-input.okta.com" } },
  ],
  links: [{ organization_id: ORG, connection_id: DB, assign_membership_on_login: true }],
};

const json = (method: string, path: string, body: unknown): RawRequest => ({
  method,
  path: API_PREFIX + path,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const raw = (method: string, path: string, body: string, contentType?: string): RawRequest => ({
  method,
  path: API_PREFIX + path,
  headers: contentType === undefined ? {} : { "content-type": contentType },
  body,
});
const get = (path: string): RawRequest => ({ method: "GET", path: API_PREFIX + path });

/** Every bad-input case, grouped as issue 7 lists them. */
export function badInputCases(): BadInputCase[] {
  const cases: BadInputCase[] = [];
  const add = (category: string, expect: Expectation, name: string, request: RawRequest, readBack?: BadInputCase["readBack"]) =>
    cases.push({ category, name, expect, request, readBack });

  // Malformed JSON, on every operation that takes a body.
  const bodies: Array<[string, string]> = [
    ["POST", "/organizations"],
    ["POST", "/connections"],
    ["PATCH", `/connections/${DB}`],
    ["PATCH", `/connections/${DB}/clients`],
    ["POST", `/organizations/${ORG}/enabled_connections`],
    ["PATCH", `/organizations/${ORG}/enabled_connections/${DB}`],
    ["POST", `/organizations/${ORG}/connections`],
    ["PATCH", `/organizations/${ORG}/connections/${DB}`],
  ];
  for (const [method, path] of bodies) {
    for (const [label, text] of [
      ["truncated", '{"name": "x",'],
      ["trailing garbage", "{} x"],
      ["single quotes", "{'connection_id': 'x'}"],
      ["bare word", "undefined"],
      ["lone surrogate escape then truncation", '{"name": "\\ud800'],
    ] as const) {
      add("malformed JSON", "rejected", `${method} ${path} with ${label}`, raw(method, path, text, "application/json"));
    }
  }

  // Bodies over 1 MB, with and without a Content-Length.
  const big = JSON.stringify({ name: "big", display_name: "x".repeat(MAX_PAYLOAD_BYTES) });
  add("body over 1 MB", "rejected", "POST /organizations with Content-Length", raw("POST", "/organizations", big, "application/json"));
  add("body over 1 MB", "rejected", "POST /organizations chunked", {
    ...raw("POST", "/organizations", big, "application/json"),
    headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
  });
  add(
    "body over 1 MB",
    "rejected",
    "PATCH a link, 1 MB + 1 byte",
    raw("PATCH", `/organizations/${ORG}/connections/${DB}`, `"${"y".repeat(MAX_PAYLOAD_BYTES - 1)}"`, "application/json"),
  );

  // Wrong content types with an otherwise valid body.
  const linkBody = JSON.stringify({ connection_id: OKTA });
  for (const type of [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonp",
    "application/xml",
    undefined,
  ]) {
    add("wrong content type", "rejected", `POST a link as ${type ?? "no content type"}`, raw("POST", `/organizations/${ORG}/connections`, linkBody, type));
  }

  // NUL and other control characters in names.
  for (const [label, ch] of [
    ["NUL", "\u0000"],
    ["SOH", "\u0001"],
    ["unit separator", "\u001f"],
    ["newline", "\n"],
    ["DEL", "\u007f"],
    ["escape", "\u001b"],
  ] as const) {
    add("control characters in names", "rejected", `connection name with ${label}`, json("POST", "/connections", { name: `bad${ch}name`, strategy: "auth0" }));
  }
  add(
    "control characters in names",
    "rejected",
    "organization_connection_name with NUL on create",
    json("POST", `/organizations/${ORG}/connections`, { connection_id: OKTA, organization_connection_name: "a\u0000b" }),
  );
  add(
    "control characters in names",
    "rejected",
    "organization_connection_name with NUL on update",
    json("PATCH", `/organizations/${ORG}/connections/${DB}`, { organization_connection_name: "\u0000" }),
  );
  add(
    "control characters in names",
    "rejected",
    "organization name with SOH (outside the name pattern)",
    json("POST", "/organizations", { name: "ctl\u0001org" }),
  );
  // The spec sets no pattern on this one: accepted, and must come back exactly as sent.
  add(
    "control characters in names",
    "accepted",
    "organization_connection_name with a tab (only NUL is excluded)",
    json("PATCH", `/organizations/${ORG}/connections/${DB}`, { organization_connection_name: "tab\there" }),
    {
      path: `/organizations/${ORG}/connections/${DB}`,
      field: "organization_connection_name",
      value: "tab\there",
    },
  );

  // Ids of 51 characters, in every position.
  const idPaths: Array<[string, string]> = [
    ["GET", `/organizations/${LONG_ID}`],
    ["DELETE", `/organizations/${LONG_ID}`],
    ["GET", `/organizations/${LONG_ID}/enabled_connections`],
    ["GET", `/organizations/${ORG}/enabled_connections/${LONG_ID}`],
    ["DELETE", `/organizations/${ORG}/enabled_connections/${LONG_ID}`],
    ["GET", `/organizations/${LONG_ID}/connections`],
    ["GET", `/organizations/${ORG}/connections/${LONG_ID}`],
    ["DELETE", `/organizations/${ORG}/connections/${LONG_ID}`],
    ["GET", `/connections/${LONG_ID}`],
    ["DELETE", `/connections/${LONG_ID}`],
    ["GET", `/connections/${LONG_ID}/clients`],
  ];
  for (const [method, path] of idPaths)
    add("51-character ids", "rejected", `${method} ${path.replace(LONG_ID, "<51 chars>")}`, { method, path: API_PREFIX + path });
  add(
    "51-character ids",
    "rejected",
    "PATCH a link with a 51-character connection id",
    json("PATCH", `/organizations/${ORG}/connections/${LONG_ID}`, { is_enabled: false }),
  );
  add(
    "51-character ids",
    "rejected",
    "POST a link whose connection_id has 51 characters",
    json("POST", `/organizations/${ORG}/connections`, { connection_id: LONG_ID }),
  );

  // `../` and encoded slashes inside ids: they stay one (unknown) id, never another resource.
  for (const id of [
    "..%2F..%2Fconnections",
    `..%2F${ORG}`,
    `${ORG}%2Fconnections`,
    "%2e%2e%2fconnections",
    "..%5C..%5Cconnections",
    `${ORG}%252Fconnections`,
    "%2F",
  ]) {
    add("dot segments and encoded slashes", "rejected", `GET /organizations/${id}`, get(`/organizations/${id}`));
    add("dot segments and encoded slashes", "rejected", `GET a link /organizations/${ORG}/connections/${id}`, get(`/organizations/${ORG}/connections/${id}`));
    add(
      "dot segments and encoded slashes",
      "rejected",
      `PATCH a link /organizations/${ORG}/connections/${id}`,
      json("PATCH", `/organizations/${ORG}/connections/${id}`, { is_enabled: false }),
    );
    // Auth0 answers a DELETE of something that does not exist with 204/202 semantics; what matters is that nothing else is deleted.
    add("dot segments and encoded slashes", "harmless", `DELETE /organizations/${id}`, { method: "DELETE", path: `${API_PREFIX}/organizations/${id}` });
    add("dot segments and encoded slashes", "harmless", `DELETE /organizations/${ORG}/enabled_connections/${id}`, {
      method: "DELETE",
      path: `${API_PREFIX}/organizations/${ORG}/enabled_connections/${id}`,
    });
  }

  // Negative and huge paging values.
  for (const family of ["connections", "enabled_connections"]) {
    const list = `/organizations/${ORG}/${family}`;
    // Only plain decimal integers that a number holds exactly: other notations (0x10, 1e1) and 2^53 and past are refused.
    for (const query of [
      "page=-1",
      "per_page=-1",
      "per_page=0",
      "per_page=101",
      "per_page=1000000000",
      "per_page=1e400",
      "page=1.5",
      "per_page=NaN",
      "page=",
      "page=-0.5",
      "per_page=Infinity",
      "per_page=0x10",
      "per_page=1e1",
      "page=99999999999999999999",
      "page=9007199254740993&per_page=100",
    ]) {
      add("negative and huge page/per_page", "rejected", `GET ${family}?${query}`, get(`${list}?${query}`));
    }
    // A page far past the end is allowed by the spec: an empty page, never an error or a wrong total.
    for (const query of ["page=1000000&include_totals=true", "page=9007199254740991&per_page=100"]) {
      add("negative and huge page/per_page", "harmless", `GET ${family}?${query}`, get(`${list}?${query}`));
    }
  }
  add("negative and huge page/per_page", "rejected", "GET /connections/{id}/clients?take=0", get(`/connections/${DB}/clients?take=0`));
  add("negative and huge page/per_page", "rejected", "GET /connections/{id}/clients?take=1001", get(`/connections/${DB}/clients?take=1001`));

  // Booleans written as strings (in the query: anything but true/false; in a body: any string).
  for (const value of ["True", "FALSE", "1", "0", "yes", "on", "", "null"]) {
    add("booleans as strings", "rejected", `include_totals=${value}`, get(`/organizations/${ORG}/connections?include_totals=${encodeURIComponent(value)}`));
  }
  add("booleans as strings", "rejected", "is_enabled=no", get(`/organizations/${ORG}/connections?is_enabled=no`));
  add("booleans as strings", "rejected", "include_fields=T on GET /connections/{id}", get(`/connections/${DB}?include_fields=T`));
  for (const [field, value] of [
    ["assign_membership_on_login", "true"],
    ["show_as_button", "false"],
    ["is_signup_enabled", "1"],
    ["is_enabled", "false"],
  ] as const) {
    add(
      "booleans as strings",
      "rejected",
      `PATCH a link with ${field}: "${value}"`,
      json("PATCH", `/organizations/${ORG}/connections/${DB}`, { [field]: value }),
    );
  }
  add(
    "booleans as strings",
    "rejected",
    'POST a link with assign_membership_on_login: "true"',
    json("POST", `/organizations/${ORG}/enabled_connections`, { connection_id: OKTA, assign_membership_on_login: "true" }),
  );
  add(
    "booleans as strings",
    "rejected",
    'PATCH /connections/{id} with is_domain_connection: "true"',
    json("PATCH", `/connections/${DB}`, { is_domain_connection: "true" }),
  );

  // Duplicate query keys.
  for (const query of ["per_page=1&per_page=2", "page=0&page=1", "include_totals=true&include_totals=false", "is_enabled=true&is_enabled=true"]) {
    add("duplicate query keys", "rejected", `GET connections?${query}`, get(`/organizations/${ORG}/connections?${query}`));
  }
  add(
    "duplicate query keys",
    "rejected",
    "GET enabled_connections?per_page=5&per_page=5",
    get(`/organizations/${ORG}/enabled_connections?per_page=5&per_page=5`),
  );
  add("duplicate query keys", "rejected", "GET /connections/{id}/clients?take=1&take=2", get(`/connections/${DB}/clients?take=1&take=2`));
  add("duplicate query keys", "rejected", "GET /connections/{id}?fields=id&fields=name", get(`/connections/${DB}?fields=id&fields=name`));
  return cases;
}

function resolvePath(origin: string, path: string): string {
  // What the server routes on: dot segments resolved like any URL, percent-encoding kept.
  return new URL(path, origin).pathname;
}

async function runCase(emulator: RunningEmulator, token: string, checker: ResponseChecker, c: BadInputCase): Promise<string[]> {
  const before = JSON.stringify(emulator.state.snapshot());
  const request = { ...c.request, headers: { ...c.request.headers, authorization: `Bearer ${token}` } };
  const response = await sendRaw(emulator.url, request);
  const problems = checker.check(c.request.method, resolvePath(emulator.url, c.request.path), {
    status: response.status,
    headers: response.headers,
    body: response.body,
  });
  const changed = JSON.stringify(emulator.state.snapshot()) !== before;

  if (c.expect === "rejected") {
    if (response.status < 400 || response.status >= 500) problems.push(`expected a 4xx, got ${response.status}: ${response.body.slice(0, 120)}`);
    if (changed) problems.push("the tenant changed");
  } else if (c.expect === "harmless") {
    if (response.status >= 500) problems.push(`expected a documented answer, got ${response.status}`);
    if (changed) problems.push("the tenant changed");
  } else {
    if (response.status < 200 || response.status >= 300)
      problems.push(`expected a 2xx (the spec allows this input), got ${response.status}: ${response.body.slice(0, 120)}`);
    else if (c.readBack) {
      const created = JSON.parse(response.body) as { id?: string };
      const path = c.readBack.path.replace("{id}", created.id ?? "");
      const back = await sendRaw(emulator.url, { method: "GET", path: API_PREFIX + path, headers: { authorization: `Bearer ${token}` } });
      const value = (JSON.parse(back.body) as Record<string, unknown>)[c.readBack.field];
      if (value !== c.readBack.value) problems.push(`${c.readBack.field} came back as ${JSON.stringify(value)}, sent ${JSON.stringify(c.readBack.value)}`);
    }
    emulator.state.reset();
  }
  return problems.map((p) => `[${c.category}] ${c.name}: ${p}`);
}

export async function runBadInputSuite(cases: BadInputCase[] = badInputCases()): Promise<BadInputReport> {
  const emulator = await startEmulator({ seed: SEED, rateLimit: false });
  const token = await emulator.issueToken();
  const checker = createResponseChecker();
  const report: BadInputReport = { cases: 0, byCategory: {}, byExpectation: { rejected: 0, harmless: 0, accepted: 0 }, failures: [] };
  try {
    for (const c of cases) {
      try {
        report.failures.push(...(await runCase(emulator, token, checker, c)));
      } catch (error) {
        report.failures.push(`[${c.category}] ${c.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      report.cases += 1;
      report.byCategory[c.category] = (report.byCategory[c.category] ?? 0) + 1;
      report.byExpectation[c.expect] += 1;
    }
  } finally {
    await emulator.close();
  }
  return report;
}
