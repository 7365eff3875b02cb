/** Shared set-up for the contract tests: an in-process log, and a running emulator whose state can be compared. */
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";

export function collectLog(): { lines: string[]; log: (line: string) => void; text: () => string } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line), text: () => lines.join("\n") };
}

export async function startTestEmulator(): Promise<RunningEmulator> {
  return startEmulator({ port: 0, host: "127.0.0.1" });
}

/** The emulator's whole tenant, as its admin API reports it. */
export async function tenantState(emulator: RunningEmulator): Promise<unknown> {
  const response = await fetch(`${emulator.url}/__emulator/state`);
  return response.json();
}
