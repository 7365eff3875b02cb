/**
 * Fault injection: added latency, a forced error status for the next N requests (or a fraction of them), and
 * dropped connections. Set through `options.faults`, `emulator.faults` or `POST /__emulator/faults`.
 */
import type { FaultOptions } from "./types.js";
import { ApiError } from "./responses.js";

export type FaultDecision = { kind: "none" } | { kind: "drop" } | { kind: "status"; code: number };

/** Thrown inside the app when a request is to be dropped; the transport closes the connection. */
export class DroppedConnection extends Error {
  constructor() {
    super("The emulator dropped the connection (fault injection)");
    this.name = "DroppedConnection";
  }
}

const FORCED_STATUS_CODES = new Set([429, 500, 503]);
const SHARE_KEYS = ["count", "fraction"] as const;

function checkShare(name: string, share: { count?: number; fraction?: number } | undefined, allowed: readonly string[]): void {
  if (share === undefined) return;
  if (typeof share !== "object" || share === null || Array.isArray(share)) throw new ApiError(400, `faults.${name} must be an object`, "invalid_body");
  const unknown = Object.keys(share).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new ApiError(400, `Unknown fault setting: ${unknown.map((k) => `${name}.${k}`).join(", ")}`, "invalid_body");
  if (share.count !== undefined && !(Number.isInteger(share.count) && share.count >= 0)) throw new ApiError(400, `faults.${name}.count must be a whole number of 0 or more`, "invalid_body");
  if (share.fraction !== undefined && !(typeof share.fraction === "number" && share.fraction >= 0 && share.fraction <= 1)) {
    throw new ApiError(400, `faults.${name}.fraction must be a number from 0 to 1`, "invalid_body");
  }
}

/** Rejects settings that make no sense, with a message that says which one. */
export function checkFaultOptions(value: unknown): FaultOptions {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ApiError(400, "faults must be an object", "invalid_body");
  const options = value as FaultOptions;
  const unknown = Object.keys(options).filter((k) => !["latencyMs", "status", "drop"].includes(k));
  if (unknown.length > 0) throw new ApiError(400, `Unknown fault setting: ${unknown.join(", ")}`, "invalid_body");
  if (options.latencyMs !== undefined && !(typeof options.latencyMs === "number" && options.latencyMs >= 0 && options.latencyMs <= 60_000)) {
    throw new ApiError(400, "faults.latencyMs must be a number of milliseconds from 0 to 60000", "invalid_body");
  }
  if (options.status !== undefined) {
    checkShare("status", options.status, ["code", ...SHARE_KEYS]);
    if (!FORCED_STATUS_CODES.has(options.status.code)) throw new ApiError(400, "faults.status.code must be 429, 500 or 503", "invalid_body");
  }
  checkShare("drop", options.drop, SHARE_KEYS);
  return structuredClone(options);
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

export class FaultController {
  private settings: FaultOptions = {};

  constructor(
    initial: FaultOptions | undefined,
    private readonly random: () => number = Math.random,
  ) {
    if (initial) this.set(initial);
  }

  /** Replaces the current faults. Throws an `ApiError` (400) for invalid settings. */
  set(options: FaultOptions): void {
    this.settings = checkFaultOptions(options);
  }

  clear(): void {
    this.settings = {};
  }

  /** The faults still in force (counts go down as requests use them up). */
  current(): FaultOptions {
    return structuredClone(this.settings);
  }

  /** Whether any fault is set (a cheap check before every request). */
  get active(): boolean {
    return this.settings.latencyMs !== undefined || this.settings.drop !== undefined || this.settings.status !== undefined;
  }

  get latencyMs(): number {
    return this.settings.latencyMs ?? 0;
  }

  decide(): FaultDecision {
    const { drop, status } = this.settings;
    if (drop && hit(drop, this.random)) return { kind: "drop" };
    if (status && hit(status, this.random)) return { kind: "status", code: status.code };
    return { kind: "none" };
  }
}
