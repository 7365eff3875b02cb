/** What the figures were measured on: CPU, memory, load, Node and the versions of the packages being compared. */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  platform: string;
  node: string;
  /** 1-minute load average when the run started and when it ended (other work on the machine skews figures). */
  loadAtStart: number;
  loadAtEnd?: number;
  packages: Record<string, string>;
}

const COMPARED_PACKAGES = ["openapi-fetch", "msw", "@stoplight/prism-cli", "autocannon", "fast-check", "dredd", "vitest", "ajv", "jose"];

function packageVersion(name: string, projectRoot: string): string {
  // Read from node_modules directly: some packages' `exports` do not expose their package.json.
  try {
    return (JSON.parse(readFileSync(path.join(projectRoot, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

export function describeMachine(projectRoot: string): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cpuCount: cpus.length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    platform: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    loadAtStart: os.loadavg()[0] ?? Number.NaN,
    packages: Object.fromEntries(COMPARED_PACKAGES.map((name) => [name, packageVersion(name, projectRoot)])),
  };
}

export function currentLoad(): number {
  return os.loadavg()[0] ?? Number.NaN;
}
