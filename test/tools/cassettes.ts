/**
 * Reads the HTTP cassettes Auth0's own test suites record against live tenants and turns each interaction with
 * one of the spec's operations into the fixture form of test/fixtures/auth0-recordings. Three recorders are
 * understood: go-vcr (version 1 and 2, Terraform provider and Go SDK), Ruby's VCR, and nock's JSON (deploy CLI).
 */
import { gunzipSync } from "node:zlib";
import { parse as parseYaml } from "yaml";
import type { RecordedInteraction } from "../helpers/recording-checks.js";

/** One request and its answer, as a recorder stored it. */
export interface RawInteraction {
  method: string;
  url: string;
  requestBody: string;
  status: number;
  responseBody: string;
  contentType: string | null;
  /** go-vcr's `duration`, when recorded (hand-written cassettes give themselves away by it). */
  duration?: string;
}

type Loose = Record<string, unknown>;
const asRecord = (value: unknown): Loose => (value !== null && typeof value === "object" ? (value as Loose) : {});
const text = (value: unknown): string => (typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value));

function header(headers: unknown, name: string): string | null {
  for (const [key, value] of Object.entries(asRecord(headers))) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return null;
}

/** Bytes as text, unzipped first when they are gzip's (Ruby's VCR kept some answers compressed). */
const bytesToText = (bytes: Buffer) => (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");

/** Ruby's `!binary` tag: base64 of the bytes (older VCR versions wrote non-ASCII bodies this way). */
const RUBY_BINARY = { tag: "!binary", resolve: (value: string) => bytesToText(Buffer.from(value, "base64")) };

/** A VCR body: `{string}` or `{base64_string}`. */
function vcrBody(body: unknown): string {
  const b = asRecord(body);
  if (typeof b.string === "string") return b.string;
  return typeof b.base64_string === "string" ? bytesToText(Buffer.from(b.base64_string, "base64")) : "";
}

function fromGoVcr(interaction: Loose): RawInteraction {
  const request = asRecord(interaction.request);
  const response = asRecord(interaction.response);
  const status = typeof response.code === "number" ? response.code : Number.parseInt(String(response.status ?? ""), 10);
  return {
    method: String(request.method ?? "").toUpperCase(),
    url: String(request.url ?? ""),
    requestBody: text(request.body),
    status,
    responseBody: text(response.body),
    contentType: header(response.headers, "content-type"),
    duration: response.duration === undefined ? undefined : String(response.duration),
  };
}

function fromRubyVcr(interaction: Loose): RawInteraction {
  const request = asRecord(interaction.request);
  const response = asRecord(interaction.response);
  return {
    method: String(request.method ?? "").toUpperCase(),
    url: String(request.uri ?? ""),
    requestBody: vcrBody(request.body),
    status: Number(asRecord(response.status).code),
    responseBody: vcrBody(response.body),
    contentType: header(response.headers, "content-type"),
  };
}

function fromNock(interaction: Loose): RawInteraction {
  return {
    method: String(interaction.method ?? "").toUpperCase(),
    url: `${String(interaction.scope ?? "").replace(/:443$/, "")}${String(interaction.path ?? "")}`,
    requestBody: text(interaction.body),
    status: Number(interaction.status),
    responseBody: text(interaction.response),
    contentType: null,
  };
}

/** The interactions of one cassette file, or undefined when the text is no cassette these recorders write. */
export function readCassette(path: string, content: string): RawInteraction[] | undefined {
  let parsed: unknown;
  try {
    parsed = path.endsWith(".json") ? JSON.parse(content) : parseYaml(content, { maxAliasCount: -1, customTags: [RUBY_BINARY] });
  } catch {
    return undefined;
  }
  if (Array.isArray(parsed)) return parsed.every((i) => asRecord(i).scope !== undefined) ? parsed.map((i) => fromNock(asRecord(i))) : undefined;
  const doc = asRecord(parsed);
  if (Array.isArray(doc.interactions)) return doc.interactions.map((i) => fromGoVcr(asRecord(i)));
  if (Array.isArray(doc.http_interactions)) return doc.http_interactions.map((i) => fromRubyVcr(asRecord(i)));
  return undefined;
}

/**
 * Hand-written go-vcr cassettes carry invented durations: round (`350ms`) or counted up (`1.023456789s`), where Go
 * prints a measured one to the nanosecond (`349.379959ms`). `1ms` is no sign: go-auth0's recorder wrote it for every
 * interaction of its early real cassettes (made-up ids give those hand-written with it away, `wireDataProblems`).
 */
export function looksHandWritten(interactions: readonly RawInteraction[]): boolean {
  return interactions.some(({ duration: d }) => d !== undefined && ((/^\d+(ms|s)$/.test(d) && d !== "1ms") || d.includes("23456789")));
}

function parseJsonOrNull(body: string): { ok: true; value: unknown } | { ok: false } {
  if (body.trim() === "") return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

/** `?a=1&b=2&b=3` as the fixtures keep it: a list only for a repeated key. */
function queryOf(search: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

export type MatchOperation = (method: string, path: string) => { pathTemplate: string } | undefined;

/**
 * The fixture form of one raw interaction with a Management API v2 operation of the spec, or the reason it is not
 * one (another host or path, an operation the spec does not describe, a body that is not JSON).
 */
export function toRecordedInteraction(raw: RawInteraction, source: string, matchOperation: MatchOperation): RecordedInteraction | string {
  let url: URL;
  try {
    url = new URL(raw.url);
  } catch {
    return "no absolute URL";
  }
  if (!/(^|\.)auth0\.com$/.test(url.hostname)) return `host ${url.hostname}`;
  if (!url.pathname.startsWith("/api/v2/")) return "not the Management API";
  const operation = matchOperation(raw.method, url.pathname.slice("/api/v2".length));
  if (!operation) return "an operation the spec does not describe";
  const requestBody = parseJsonOrNull(raw.requestBody);
  const responseBody = parseJsonOrNull(raw.responseBody);
  if (!requestBody.ok || !responseBody.ok) return "a body that is not JSON";
  if (!Number.isInteger(raw.status) || raw.status < 100) return "no status";
  return {
    source,
    method: raw.method,
    url: `${url.pathname}${url.search}`,
    pathTemplate: operation.pathTemplate,
    query: queryOf(url.searchParams),
    requestBody: requestBody.value,
    status: raw.status,
    responseContentType: raw.contentType as string,
    responseBody: responseBody.value,
  };
}
