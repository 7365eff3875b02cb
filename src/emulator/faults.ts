/**
 * Fault injection, aimed the way msw overrides are: a fault is a rule that names what it hits (an operation id, a
 * method, a path template or a concrete path; nothing named means every Management API request) and how often
 * (`times`, `once`, or for ever), and what it does (added latency, a forced status, a dropped connection). The
 * token endpoint is hit only by a rule that names `/oauth/token`: an application's login is not the call under
 * test. A forced 429 or 503 says `Retry-After: 0` unless told otherwise, so a retry test takes milliseconds.
 *
 * Set through `options.faults` (the start-up faults, which `state.reset()` puts back), `emulator.faults` or the
 * admin API (`/__emulator/faults`). The newest rule that matches a request decides what happens to it.
 */
import { listOperations } from "../shared/spec.js";
import type { FaultOptions, FaultRule } from "./types.js";
import { API_BASE_PATH } from "../../generated/spec-facts.js";
import { invalidBody } from "./errors.js";

export type FaultDecision =
  | { kind: "none" }
  | { kind: "drop" }
  /** `retryAfter`: seconds, to send as `Retry-After`; undefined sends none. */
  | { kind: "status"; code: number; retryAfter: number | undefined };

/** What a request is, for matching rules: its method, its path (with the API prefix) and, when one serves it, the spec's operation. */
export interface FaultTarget {
  method: string;
  path: string;
  /** The path without the Management API prefix, e.g. `/organizations/org_1`. */
  apiPath?: string | undefined;
  operationId?: string | undefined;
  pathTemplate?: string | undefined;
}

/** Thrown inside the app when a request is to be dropped; the transport closes the connection. */
export class DroppedConnection extends Error {
  constructor() {
    super("The emulator dropped the connection (fault injection)");
    this.name = "DroppedConnection";
  }
}

/** The token endpoint: faulted only when a rule names it. */
export const TOKEN_PATH = "/oauth/token";
const FORCED_STATUS_CODES = new Set([429, 500, 503]);
/** Forced statuses that tell the client when to come back (`Retry-After`, 0 s unless the rule says otherwise). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]);
const RULE_KEYS = ["operation", "method", "path", "times", "once", "latencyMs", "status", "drop"];
const MAX_RETRY_AFTER_SECONDS = 3_600;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `where`: the setting's name in messages (`faults.status`); unknown keys are named as written, without `faults.` at the top. */
function checkShare(where: string, share: unknown, allowed: readonly string[]): void {
  if (share === undefined) return;
  if (!isObject(share)) throw invalidBody(`${where} must be an object`);
  const unknown = Object.keys(share).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw invalidBody(`Unknown fault setting: ${unknown.map((k) => `${where.replace(/^faults\./, "")}.${k}`).join(", ")}`);
  if (share.count !== undefined && !(Number.isInteger(share.count) && (share.count as number) >= 0))
    throw invalidBody(`${where}.count must be a whole number of 0 or more`);
  if (share.fraction !== undefined && !(typeof share.fraction === "number" && share.fraction >= 0 && share.fraction <= 1)) {
    throw invalidBody(`${where}.fraction must be a number from 0 to 1`);
  }
}

/** The spec's operation ids and path templates, for checking what a rule names. */
let known: { operationIds: Set<string>; templates: Set<string> } | undefined;
function knownTargets() {
  if (!known) {
    const operations = listOperations();
    known = { operationIds: new Set(operations.map((o) => o.operationId)), templates: new Set(operations.map((o) => o.pathTemplate)) };
  }
  return known;
}

/** A path as rules compare it: without the API prefix, without a trailing slash. */
const comparable = (path: string, apiPrefix: string) => (path.startsWith(`${apiPrefix}/`) ? path.slice(apiPrefix.length) : path).replace(/(.)\/+$/, "$1");

/**
 * One rule, checked; `once` becomes `times: 1`. Throws an `ApiError` (400) naming the setting that is wrong, so the
 * admin API answers in Auth0's shape and `emulator.faults` throws the same message.
 */
export function checkFaultRule(value: unknown, where = "faults", apiPrefix = API_BASE_PATH): FaultRule {
  if (!isObject(value)) throw invalidBody(`${where} must be an object`);
  const unknown = Object.keys(value).filter((k) => !RULE_KEYS.includes(k) && !(where === "faults" && k === "rules"));
  if (unknown.length > 0) throw invalidBody(`Unknown fault setting: ${unknown.map((k) => (where === "faults" ? k : `${where}.${k}`)).join(", ")}`);
  const rule = structuredClone(value) as FaultRule & { rules?: unknown };
  delete rule.rules;
  const { operationIds, templates } = knownTargets();
  if (rule.operation !== undefined && !(typeof rule.operation === "string" && operationIds.has(rule.operation))) {
    throw invalidBody(`${where}.operation: unknown operation "${String(rule.operation)}" (one of ${[...operationIds].join(", ")})`);
  }
  if (rule.method !== undefined) {
    if (typeof rule.method !== "string" || !METHODS.has(rule.method.toUpperCase()))
      throw invalidBody(`${where}.method must be one of ${[...METHODS].join(", ")}`);
    rule.method = rule.method.toUpperCase();
  }
  if (rule.path !== undefined) {
    if (typeof rule.path !== "string" || !rule.path.startsWith("/")) throw invalidBody(`${where}.path must be a path starting with "/"`);
    const path = comparable(rule.path, apiPrefix);
    if (path.includes("{") && !templates.has(path)) throw invalidBody(`${where}.path: no operation has the path template "${rule.path}"`);
  }
  if (rule.once !== undefined && typeof rule.once !== "boolean") throw invalidBody(`${where}.once must be true or false`);
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 1)) throw invalidBody(`${where}.times must be a whole number of 1 or more`);
  if (rule.once && rule.times !== undefined && rule.times !== 1) throw invalidBody(`${where}: give either once or times`);
  if (rule.once) rule.times = 1;
  delete rule.once;
  if (rule.latencyMs !== undefined && !(typeof rule.latencyMs === "number" && rule.latencyMs >= 0 && rule.latencyMs <= 60_000)) {
    throw invalidBody(`${where}.latencyMs must be a number of milliseconds from 0 to 60000`);
  }
  if (rule.status !== undefined) {
    checkShare(`${where}.status`, rule.status, ["code", "count", "fraction", "retryAfter"]);
    if (!FORCED_STATUS_CODES.has(rule.status.code)) throw invalidBody(`${where}.status.code must be 429, 500 or 503`);
    const { retryAfter } = rule.status;
    if (
      retryAfter !== undefined &&
      !(typeof retryAfter === "number" && Number.isInteger(retryAfter) && retryAfter >= 0 && retryAfter <= MAX_RETRY_AFTER_SECONDS)
    ) {
      throw invalidBody(`${where}.status.retryAfter must be a whole number of seconds from 0 to ${MAX_RETRY_AFTER_SECONDS}`);
    }
  }
  checkShare(`${where}.drop`, rule.drop, ["count", "fraction"]);
  return rule;
}

/** Rejects settings that make no sense, with a message that says which one. */
export function checkFaultOptions(value: unknown): FaultOptions {
  if (!isObject(value)) throw invalidBody("faults must be an object");
  const top = checkFaultRule(value);
  const rules = value.rules;
  if (rules !== undefined && !Array.isArray(rules)) throw invalidBody("faults.rules must be an array of fault rules");
  const checked = (rules ?? []).map((rule, index) => checkFaultRule(rule, `faults.rules[${index}]`));
  return checked.length > 0 ? { ...top, rules: checked } : top;
}

/** Whether this request is hit: while a count lasts, or at random with the given fraction; every request when neither is set. */
function hit(share: { count?: number; fraction?: number }, random: () => number): boolean {
  if (share.count !== undefined) {
    if (share.count <= 0) return false;
    if (share.fraction === undefined || random() < share.fraction) {
      share.count -= 1;
      return true;
    }
    return false;
  }
  return share.fraction === undefined || random() < share.fraction;
}

const doesSomething = (rule: FaultRule) => rule.latencyMs !== undefined || rule.status !== undefined || rule.drop !== undefined;
const aimed = (rule: FaultRule) => rule.operation !== undefined || rule.method !== undefined || rule.path !== undefined;

function matches(rule: FaultRule, target: FaultTarget, apiPrefix: string): boolean {
  const isToken = target.path === TOKEN_PATH;
  // The token endpoint only when named; a rule naming nothing hits the Management API only.
  if (isToken !== (rule.path !== undefined && comparable(rule.path, apiPrefix) === TOKEN_PATH)) return false;
  if (rule.method !== undefined && rule.method !== target.method && !(rule.method === "GET" && target.method === "HEAD")) return false;
  if (rule.operation !== undefined && rule.operation !== target.operationId) return false;
  if (rule.path !== undefined && !isToken) {
    const path = comparable(rule.path, apiPrefix);
    if (path !== target.pathTemplate && path !== comparable(target.apiPath ?? target.path, apiPrefix)) return false;
  }
  return true;
}

export class FaultController {
  /** The rule set without aim (`set()`'s top level, or `options.faults`), kept apart for `current()`. */
  private base: FaultRule = {};
  /** Aimed or added rules, newest first. */
  private rules: FaultRule[] = [];
  private readonly initial: FaultOptions;

  constructor(
    initial: FaultOptions | undefined,
    private readonly random: () => number = Math.random,
    private readonly apiPrefix = API_BASE_PATH,
  ) {
    this.initial = checkFaultOptions(initial ?? {});
    this.reset();
  }

  /** Replaces every fault with these. Throws an `ApiError` (400) for invalid settings. */
  set(options: FaultOptions): void {
    const { rules = [], ...top } = checkFaultOptions(options);
    this.base = aimed(top) || top.times !== undefined ? {} : top;
    this.rules = [...(aimed(top) || top.times !== undefined ? [top] : []), ...rules];
  }

  /** Adds one rule in front of the others (msw's `use`): it decides for the requests it matches. */
  add(rule: FaultRule): void {
    this.rules.unshift(checkFaultRule(rule, "fault"));
  }

  /** Removes every fault (the start-up ones too, until `reset`). */
  clear(): void {
    this.base = {};
    this.rules = [];
  }

  /** Back to the faults given at start-up (`options.faults`). */
  reset(): void {
    this.set(this.initial);
  }

  /** The faults in force as one `FaultOptions` (what `set` takes): the unaimed settings at the top, the rest in `rules`. */
  current(): FaultOptions {
    const rules = this.rules.filter(doesSomething);
    return structuredClone(rules.length > 0 ? { ...this.base, rules } : this.base);
  }

  /** Every rule in force, newest first (counts go down as requests use them up). */
  list(): FaultRule[] {
    return structuredClone([...this.rules, this.base].filter(doesSomething));
  }

  /** Whether any fault is set (a cheap check before every request). */
  get active(): boolean {
    return this.rules.length > 0 || doesSomething(this.base);
  }

  /** The rule that decides for this request, if any. */
  ruleFor(target: FaultTarget): FaultRule | undefined {
    const found = this.rules.find((rule) => matches(rule, target, this.apiPrefix));
    if (found) return found;
    return doesSomething(this.base) && matches(this.base, target, this.apiPrefix) ? this.base : undefined;
  }

  /** What `rule` does to the request it matched; uses up one of its `times` when it does anything. */
  decide(rule: FaultRule): FaultDecision {
    const { drop, status } = rule;
    let decision: FaultDecision = { kind: "none" };
    if (drop && hit(drop, this.random)) decision = { kind: "drop" };
    else if (status && hit(status, this.random)) {
      decision = { kind: "status", code: status.code, retryAfter: status.retryAfter ?? (RETRY_AFTER_STATUSES.has(status.code) ? 0 : undefined) };
    }
    if ((decision.kind !== "none" || (rule.latencyMs ?? 0) > 0) && rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return decision;
  }
}
