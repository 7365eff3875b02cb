/**
 * The emulator's admin API (`/__emulator/*`), as a contract run uses it on an emulator it did not start: mint a
 * narrow token for the 403 checks, force one 429, and put the user's own fault settings back exactly as they were
 * afterwards. Every write sends `Content-Type: application/json` (and `{}` when there is nothing to send), as the
 * admin API requires; no request follows a redirect.
 */
import type { FaultOptions } from "../emulator/index.js";
import { ADMIN_PREFIX } from "../emulator/index.js";
import { type Destination, sendWithoutRedirects } from "./outbound.js";

export interface EmulatorAdmin {
  /** Mints a token with exactly these scopes (every scope when left out). */
  mintToken(scopes?: string[]): Promise<string>;
  /** Forces the next API request to be answered with this status, on top of the faults already set. */
  forceNextStatus: (status: number) => Promise<void>;
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
  const { status: _none, ...lasting } = saved;
  return {
    mintToken: async (scopes) => ((await call(origin, destination, "POST", "token", { scopes })) as { access_token: string }).access_token,
    forceNextStatus: async (code) => {
      await call(origin, destination, "POST", "faults", { ...lasting, status: { code, count: 1 } });
    },
    restoreFaults: async () => {
      if (Object.keys(saved).length === 0) await call(origin, destination, "DELETE", "faults");
      else await call(origin, destination, "POST", "faults", saved);
    },
  };
}

/**
 * For `--cleanup` after a killed run: remove a forced status the run may have left (a single 429), keeping every
 * other fault the user set.
 */
export async function dropLeftoverForcedStatus(origin: string, destination: Destination): Promise<void> {
  const current = (await call(origin, destination, "GET", "faults")) as FaultOptions;
  if (current.status?.code !== 429 || (current.status.count ?? 0) > 1 || current.status.fraction !== undefined) return;
  const { status: _forced, ...rest } = current;
  if (Object.keys(rest).length === 0) await call(origin, destination, "DELETE", "faults");
  else await call(origin, destination, "POST", "faults", rest);
}
