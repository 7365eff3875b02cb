/**
 * The shape of the emulator's rate limits — a tenant bucket and endpoint-group buckets — as `createEmulator({ limits })`,
 * `--limits ./file.json` and `POST /__emulator/limits` take it, and its checking: every mistake is one sentence that
 * names the field (an `ApiError` 400 through the admin API, a usage error and exit 2 on the command line).
 */
import { listOperations } from "../../shared/spec.js";
import type { BucketFigures } from "./token-bucket.js";
import { invalidBody } from "../errors.js";

/** A bucket: a burst and a sustained rate such as `"2/second"`, `"150/minute"` or `"1/1500ms"`. */
export interface BucketOption {
  burst: number;
  rate: string;
  /**
   * `continuous` (default): one request comes back every period/rate, as Auth0 documents. `window`: all of them come
   * back at once when a window of the period ends (the window opens with its first request) — a fixed window.
   */
  refill?: "continuous" | "window";
}

/** A bucket that only some operations draw on, on top of the tenant's. */
export interface EndpointGroupOption extends BucketOption {
  name: string;
  /** operationIds or `METHOD /path/template` of the spec. */
  operations: string[];
  /** Applies only to requests that send this query parameter (Auth0's "Read Clients" bucket for `q`). */
  query?: string;
}

/**
 * Which bucket the `x-ratelimit-*` headers describe when several apply (Auth0 does not document it):
 * `tightest` (default) the one with the fewest requests left; `endpoint-group` the group's whenever one applies.
 */
export type HeaderPolicy = "tightest" | "endpoint-group";

export interface LimitsShape {
  tenant?: BucketOption;
  groups?: EndpointGroupOption[];
  headers?: HeaderPolicy;
}

/** A bucket ready for the limiter. */
export interface ResolvedBucket extends BucketFigures {
  name: string;
  refill: "continuous" | "window";
  /** `METHOD /template` of each operation that draws on it; undefined for the tenant bucket (every request). */
  operations?: Set<string>;
  query?: string;
}

export interface ResolvedLimits {
  tenant?: ResolvedBucket;
  groups: ResolvedBucket[];
  headers: HeaderPolicy;
  /** Where the figures come from (a preset's page), for the admin API. */
  source?: string;
}

const UNIT_MS: Record<string, number> = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const RATE = /^\s*(\d+(?:\.\d+)?)\s*(?:\/|per)\s*(?:(second|minute|hour|day)|(\d+)\s*ms)\s*$/i;

/** `"150/minute"` → 150 per 60 000 ms. */
export function parseRate(rate: unknown, where: string): { sustained: number; perMs: number } {
  const match = typeof rate === "string" ? RATE.exec(rate) : null;
  const sustained = Number(match?.[1]);
  const perMs = match?.[2] ? UNIT_MS[match[2].toLowerCase()]! : Number(match?.[3]);
  if (!match || !(sustained > 0) || !(perMs > 0))
    throw invalidBody(`${where}.rate must look like "2/second", "150/minute", "5/day" or "1/1500ms", not ${JSON.stringify(rate)}`);
  return { sustained, perMs };
}

function checkKeys(value: Record<string, unknown>, allowed: string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw invalidBody(`${where} has unknown field(s): ${unknown.join(", ")} (allowed: ${allowed.join(", ")})`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolveBucket(value: unknown, where: string, name: string, extra: string[] = []): ResolvedBucket {
  if (!isObject(value)) throw invalidBody(`${where} must be an object with burst and rate`);
  checkKeys(value, ["burst", "rate", "refill", ...extra], where);
  const burst = value.burst;
  if (!(typeof burst === "number" && Number.isInteger(burst) && burst >= 1))
    throw invalidBody(`${where}.burst must be a whole number of 1 or more, not ${JSON.stringify(burst)}`);
  const refill = value.refill ?? "continuous";
  if (refill !== "continuous" && refill !== "window") throw invalidBody(`${where}.refill must be "continuous" or "window", not ${JSON.stringify(refill)}`);
  return { name, burst, refill, ...parseRate(value.rate, where) };
}

/** `METHOD /template` of every operation, by its own name and by its operationId. */
function operationIndex(): Map<string, string> {
  const index = new Map<string, string>();
  for (const op of listOperations()) {
    const key = `${op.method.toUpperCase()} ${op.pathTemplate}`;
    index.set(key, key);
    index.set(op.operationId, key);
  }
  return index;
}

/**
 * Checks a limits shape and resolves its operations against the spec. `lenient` (the presets, which describe Auth0's
 * whole API) skips operations this spec does not have; a user's file naming one is a mistake.
 */
export function resolveLimits(value: unknown, options: { lenient?: boolean; source?: string } = {}): ResolvedLimits {
  if (!isObject(value)) throw invalidBody("limits must be an object with tenant and/or groups");
  checkKeys(value, ["tenant", "groups", "headers", "$schema", "source"], "limits");
  const headers = value.headers ?? "tightest";
  if (headers !== "tightest" && headers !== "endpoint-group")
    throw invalidBody(`limits.headers must be "tightest" or "endpoint-group", not ${JSON.stringify(headers)}`);
  const tenant = value.tenant === undefined ? undefined : resolveBucket(value.tenant, "limits.tenant", "tenant");
  const groupsValue = value.groups ?? [];
  if (!Array.isArray(groupsValue)) throw invalidBody("limits.groups must be an array");
  const index = operationIndex();
  const names = new Set<string>();
  const groups = groupsValue.map((group: unknown, position) => {
    const where = `limits.groups[${position}]`;
    if (!isObject(group)) throw invalidBody(`${where} must be an object with name, burst, rate and operations`);
    const name = group.name;
    if (typeof name !== "string" || name.trim() === "" || name === "tenant") throw invalidBody(`${where}.name must be a non-empty string other than "tenant"`);
    if (names.has(name)) throw invalidBody(`${where}.name "${name}" is used twice`);
    names.add(name);
    const bucket = resolveBucket(group, `${where} (${name})`, name, ["name", "operations", "query"]);
    if (!Array.isArray(group.operations) || group.operations.length === 0 || !group.operations.every((op) => typeof op === "string")) {
      throw invalidBody(`${where} (${name}).operations must be a non-empty array of operationIds or "METHOD /path" strings`);
    }
    const operations = new Set<string>();
    for (const reference of group.operations) {
      const normalized = /^[a-z]+ \//i.test(reference) ? reference.replace(/^([a-z]+)/i, (method) => method.toUpperCase()) : reference;
      const key = index.get(normalized);
      if (key) operations.add(key);
      else if (!options.lenient)
        throw invalidBody(
          `${where} (${name}).operations: "${reference}" is not an operation of the spec (use an operationId such as listOrganizations, or "GET /organizations")`,
        );
    }
    if (group.query !== undefined && (typeof group.query !== "string" || group.query === ""))
      throw invalidBody(`${where} (${name}).query must be the name of a query parameter`);
    return { ...bucket, operations, ...(group.query ? { query: group.query } : {}) };
  });
  return { tenant, groups: groups.filter((group) => group.operations.size > 0), headers, ...(options.source ? { source: options.source } : {}) };
}
