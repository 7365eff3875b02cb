/**
 * The emulator's admin API (`/__emulator/*`), as a contract run uses it on an emulator it did not start: mint a
 * narrow token for the 403 checks, force one 429 on the one request a transaction sends, and put the user's own
 * fault settings back exactly as they were afterwards. Every write sends `Content-Type: application/json` (and `{}` when there is nothing to send), as the
 * admin API requires; no request follows a redirect.
 */
import type { FaultOptions, FaultRule } from "../emulator/index.js";
import { ADMIN_PREFIX } from "../emulator/index.js";
import { type Destination, sendWithoutRedirects } from "./outbound.js";

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
}

async function call(origin: string, destination: Destination, method: string, path: string, body?: unknown): Promise<unknown> {
  const write = method !== "GET";
  const response = await sendWithoutRedirects(
    new Request(`${origin}${ADMIN_PREFIX}/${path}`, {
      method,
      headers: write ? { "content-type": "application/json" } : {},
      body: write ? JSON.stringify(body ?? {}) : undefined,
    }),
    destination,
    AbortSignal.timeout(5_000),
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`the emulator's admin API refused ${method} ${ADMIN_PREFIX}/${path} (HTTP ${response.status})`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** Whether the server at `origin` is an emulator (its admin API answers). */
export async function hasEmulatorAdmin(origin: string, destination: Destination): Promise<boolean> {
  try {
    await call(origin, destination, "GET", "state");
    return true;
  } catch {
    return false;
  }
}

/** Connects to an emulator's admin API, remembering its current faults so that they can be restored. */
export async function connectEmulatorAdmin(origin: string, destination: Destination): Promise<EmulatorAdmin> {
  const saved = (await call(origin, destination, "GET", "faults")) as FaultOptions;
  return {
    mintToken: async (scopes) => ((await call(origin, destination, "POST", "token", { scopes })) as { access_token: string }).access_token,
    forceStatus: async (code, { method, path }) => {
      // The user's unaimed latency still applies to the forced answer, as it did to every other request.
      const latency = saved.latencyMs === undefined ? {} : { latencyMs: saved.latencyMs };
      await call(origin, destination, "POST", "faults/rules", { method, path, once: true, status: { code }, ...latency });
    },
    restoreFaults: async () => {
      if (Object.keys(saved).length === 0) await call(origin, destination, "DELETE", "faults");
      else await call(origin, destination, "POST", "faults", saved);
    },
  };
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

/**
 * For `--cleanup` after a killed run: remove a forced status the run may have left (one aimed 429 not yet used),
 * keeping every other fault the user set.
 */
export async function dropLeftoverForcedStatus(origin: string, destination: Destination): Promise<void> {
  const current = (await call(origin, destination, "GET", "faults")) as FaultOptions;
  const rules = current.rules ?? [];
  const kept = rules.filter((rule) => !isForcedRule(rule));
  if (kept.length === rules.length) return;
  const { rules: _all, ...top } = current;
  const rest = kept.length > 0 ? { ...top, rules: kept } : top;
  if (Object.keys(rest).length === 0) await call(origin, destination, "DELETE", "faults");
  else await call(origin, destination, "POST", "faults", rest);
}
