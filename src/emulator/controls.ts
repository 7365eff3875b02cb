/** The programmatic controls an emulator exposes (also reachable through the admin API). */
import type { FaultController } from "./faults.js";
import type { IssueTokenOptions, SeedData } from "./types.js";

export interface EmulatorState {
  /** The tenant's contents in the seed format (client secrets left out); a deep copy. */
  snapshot(): Required<SeedData>;
  /** Adds seed data (an existing id is replaced); all or nothing, throws an `ApiError` (400) naming the bad entry. */
  seed(data: SeedData): void;
  /** Back to the contents given at start-up (`options.seed`), and a fresh rate-limit window. */
  reset(): void;
  /** An empty tenant. */
  clear(): void;
  /** Writes the state file now, when the emulator keeps one (`state`); changes are written within milliseconds anyway. */
  save(): void;
}

export interface EmulatorControls {
  state: EmulatorState;
  faults: FaultController;
  issueToken(options?: IssueTokenOptions): Promise<string>;
}
