/**
 * Shared by every emulator test: an in-process emulator whose every Management API response is checked against
 * the spec (the status is documented for the operation, the body validates against that status's schema, the
 * documented headers are present and well-formed, 204s are empty). A violation fails the request that caused it
 * AND is collected, so `expectNoViolations()` in `afterEach` catches one that a test swallowed.
 */
import { expect } from "vitest";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";
import { API_PREFIX, createResponseChecker, type ResponseCheckerOptions } from "../helpers/response-checker.js";

export type ValidationOptions = ResponseCheckerOptions;

export interface ResponseLog {
  violations: string[];
  /** How many responses were checked against an operation of the spec. */
  checked: number;
}

/** Wraps any fetch so that every `/api/v2` response it returns is checked against the spec (test/helpers/response-checker.ts). */
export function validatingFetch(
  inner: (request: Request) => Promise<Response>,
  log: ResponseLog,
  options: ValidationOptions = {},
): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  const checker = createResponseChecker(options);
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const pathname = new URL(request.url).pathname;
    const response = await inner(request);
    if (!pathname.startsWith(`${API_PREFIX}/`)) return response;

    const before = checker.counts.checked;
    const problems = checker.check(request.method, pathname, { status: response.status, headers: response.headers, body: await response.clone().text() });
    log.checked += checker.counts.checked - before;
    if (problems.length > 0) {
      const message = problems.join("; ");
      log.violations.push(message);
      throw new Error(`Response does not match the spec: ${message}`);
    }
    return response;
  };
}

export interface CallOptions {
  body?: unknown;
  /** Sent as-is (for malformed JSON and the like). */
  rawBody?: string | Uint8Array;
  query?: Record<string, string | number | boolean>;
  /** `null` sends no Authorization header. Default: a token with every scope. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface TestEmulator {
  emulator: Emulator;
  token: string;
  log: ResponseLog;
  fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** One Management API call; `path` is relative to `/api/v2`. */
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<CallResult<T>>;
  expectNoViolations(): void;
}

export async function callWith(
  fetchImpl: TestEmulator["fetch"],
  base: string,
  defaultToken: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const url = new URL(`${base}${API_PREFIX}${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? defaultToken : options.token;
  if (token !== null) headers.authorization ??= `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.rawBody !== undefined) body = typeof options.rawBody === "string" ? options.rawBody : new Blob([options.rawBody as Uint8Array<ArrayBuffer>]);
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetchImpl(new Request(url, { method, headers, body }));
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

/** A fresh in-process emulator, a token with every scope, and a validating `fetch`. */
export async function testEmulator(options: EmulatorOptions = {}, validation: ValidationOptions = {}): Promise<TestEmulator> {
  const emulator = createEmulator(options);
  const token = await emulator.issueToken();
  const log: ResponseLog = { violations: [], checked: 0 };
  const fetch = validatingFetch((request) => emulator.fetch(request), log, validation);
  return {
    emulator,
    token,
    log,
    fetch,
    call: (method, path, callOptions) => callWith(fetch, "http://emulator.test", token, method, path, callOptions),
    expectNoViolations: () => expect(log.violations).toEqual([]),
  };
}

/** Creates an organization, a database connection and an Okta connection; returns their ids. */
export async function basicTenant(t: TestEmulator): Promise<{ org: string; db: string; okta: string }> {
  const org = await t.call("POST", "/organizations", { body: { name: "acme", display_name: "Acme" } });
  const db = await t.call("POST", "/connections", { body: { name: "acme-db", strategy: "auth0" } });
  const okta = await t.call("POST", "/connections", { body: { name: "acme-okta", strategy: "okta", options: { domain: "acme.okta.com" } } });
  expect([org.status, db.status, okta.status]).toEqual([201, 201, 201]);
  return { org: org.body.id, db: db.body.id, okta: okta.body.id };
}

/** The error body Auth0 sends. */
export function auth0Error(statusCode: number, error: string, message: string, errorCode?: string) {
  return errorCode === undefined ? { statusCode, error, message } : { statusCode, error, message, errorCode };
}
