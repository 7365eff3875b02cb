/** The programmatic controls an emulator exposes (also reachable through the admin API). */
import type { FaultController } from "./faults.js";
import type { EmulatorClock } from "./limits/clock.js";
import type { LimitsOption, LimitsState } from "./rate-limit.js";
import type { EmulatorOptions, IssueTokenOptions, SeedData } from "./types.js";

export interface EmulatorState {
  /** The tenant's contents in the seed format (client secrets left out); a deep copy. */
  snapshot(): Required<SeedData>;
  /** Adds seed data (an existing id is replaced); all or nothing, throws an `ApiError` (400) naming the bad entry. */
  seed(data: SeedData): void;
  /** Back to the contents given at start-up (`options.seed`), the start-up faults (`options.faults`) and every rate-limit bucket full. */
  reset(): void;
  /** An empty tenant. */
  clear(): void;
  /** Writes the state file now, when the emulator keeps one (`state`); changes are written within milliseconds anyway. */
  save(): void;
}

/** The tenants of an emulator (its root only): see tenants.ts. */
export interface TenantControls {
  list(): Array<{ name: string; domain: string }>;
  /** Makes a tenant with a seed and faults of its own; throws an `ApiError` (400 bad name, 409 exists). */
  create(name: string, options?: Pick<EmulatorOptions, "seed" | "faults">): void;
}

export interface EmulatorControls {
  domain: string;
  audience: string;
  state: EmulatorState;
  faults: FaultController;
  issueToken(options?: IssueTokenOptions): Promise<string>;
  limits: { state(): LimitsState; set(limits: LimitsOption): LimitsState };
  clock: EmulatorClock;
  /** Only the emulator's root has them. */
  tenants?: TenantControls | undefined;
}
