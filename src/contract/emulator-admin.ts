/**
 * The emulator's admin API (`/__emulator/*`), as a contract run uses it on an emulator it did not start: mint a
 * narrow token for the 403 checks, force one 429 on the one request a transaction sends, and put the user's own
 * fault settings back exactly as they were afterwards (or, for `--cleanup`, sweep away a forced status a killed run
 * left). A server without the admin API is simply not an emulator. Every write sends `Content-Type: application/json` (and `{}` when there is nothing to send), as the
 * admin API requires; no request follows a redirect.
 */
import type { FaultOptions, FaultRule } from "../emulator/index.js";
import { ADMIN_PREFIX } from "../emulator/index.js";
import type { FetchFunction } from "../client/index.js";

/** The request a forced status is aimed at. */
export interface ForcedRequest {
  method: string;
  path: string;
}

export interface EmulatorAdmin {
  /** Mints a token with exactly these scopes (every scope when left out). */
  mintToken(scopes?: string[]): Promise<string>;
  /**
   * Forces the next request with this method and path (without the API prefix) to be answered with this status, in
   * front of the faults already set. Aimed, so that the run's own fixture calls and anyone else using the emulator
   * meanwhile are not hit by it.
   */
  forceStatus: (status: number, request: ForcedRequest) => Promise<void>;
  /** Puts the faults back as they were when the run started. */
  restoreFaults: () => Promise<void>;
  /**
   * For `--cleanup` after a killed run: removes a forced status the run may have left (one aimed 429 not yet used),
   * keeping every other fault the user set.
   */
  dropLeftoverForcedStatus: () => Promise<void>;
}

type AdminCall = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** One admin API call through `send` (the run's confined way out): its JSON answer, or an error naming the refusal. */
function adminCall(origin: string, send: FetchFunction): AdminCall {
  return async (method, path, body) => {
    const write = method !== "GET";
    const response = await send(
      new Request(`${origin}${ADMIN_PREFIX}/${path}`, {
        method,
        headers: write ? { "content-type": "application/json" } : {},
        body: write ? JSON.stringify(body ?? {}) : undefined,
      }),
    );
    const text = await response.text();
    if (!response.ok) throw new Error(`the emulator's admin API refused ${method} ${ADMIN_PREFIX}/${path} (HTTP ${response.status})`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
}

/**
 * Connects to the admin API of the emulator at `origin`, remembering its current faults so that they can be restored;
 * undefined when there is none there (the server is not an emulator, or does not let the run in).
 */
export async function connectEmulatorAdmin(origin: string, send: FetchFunction): Promise<EmulatorAdmin | undefined> {
  const call = adminCall(origin, send);
  let saved: FaultOptions;
  try {
    saved = (await call("GET", "faults")) as FaultOptions;
  } catch {
    return undefined;
  }
  return {
    mintToken: async (scopes) => ((await call("POST", "token", { scopes })) as { access_token: string }).access_token,
    forceStatus: async (code, { method, path }) => {
      // The user's unaimed latency still applies to the forced answer, as it did to every other request.
      const latency = saved.latencyMs === undefined ? {} : { latencyMs: saved.latencyMs };
      await call("POST", "faults/rules", { method, path, once: true, status: { code }, ...latency });
    },
    restoreFaults: () => putFaults(call, saved),
    dropLeftoverForcedStatus: () => dropLeftoverForcedStatus(call),
  };
}

/** Sets the faults to exactly `faults` (none at all when it is empty). */
async function putFaults(call: AdminCall, faults: FaultOptions): Promise<void> {
  if (Object.keys(faults).length === 0) await call("DELETE", "faults");
  else await call("POST", "faults", faults);
}

/** A rule shaped like the one `forceStatus` adds: one 429 for one method and concrete path, nothing else but latency. */
function isForcedRule(rule: FaultRule): boolean {
  const keys = Object.keys(rule).filter((key) => key !== "latencyMs");
  const status = rule.status;
  return (
    keys.length === 4 &&
    rule.method !== undefined &&
    rule.path !== undefined &&
    !rule.path.includes("{") &&
    rule.times === 1 &&
    status?.code === 429 &&
    Object.keys(status).length === 1
  );
}

/** The faults as they are now, without a forced status a killed run left; nothing is written when there is none. */
async function dropLeftoverForcedStatus(call: AdminCall): Promise<void> {
  const current = (await call("GET", "faults")) as FaultOptions;
  const rules = current.rules ?? [];
  const kept = rules.filter((rule) => !isForcedRule(rule));
  if (kept.length === rules.length) return;
  const { rules: _all, ...top } = current;
  await putFaults(call, kept.length > 0 ? { ...top, rules: kept } : top);
}
