/** The real Auth0 interactions recorded against live tenants (test/fixtures/auth0-recordings). */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { RECORDINGS_DIR } from "./project.js";

export interface RecordedInteraction {
  source: string;
  method: string;
  url: string;
  pathTemplate: string;
  query: Record<string, string | string[]>;
  requestBody: unknown;
  status: number;
  responseContentType: string;
  responseBody: unknown;
}

/** The curated sets, recorded in order with their set-up steps (the history sets are de-duplicated cassettes). */
export const SEQUENTIAL_RECORDING_FILES = ["go-auth0.json", "terraform-provider-auth0.json"];

/** The recording files' names, sorted. */
export function recordingFiles(): string[] {
  return readdirSync(RECORDINGS_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort();
}

/** Every recording file's interactions, or only those of `files`. */
export function loadRecordings(files?: readonly string[]): RecordedInteraction[] {
  return recordingFiles()
    .filter((name) => files === undefined || files.includes(name))
    .flatMap((name) => (JSON.parse(readFileSync(path.join(RECORDINGS_DIR, name), "utf8")) as { interactions: RecordedInteraction[] }).interactions);
}

/** A short, unique-enough label for test names. */
export function describeInteraction(i: RecordedInteraction, index: number): string {
  return `#${index} ${i.method} ${i.pathTemplate} → ${i.status} (${i.source.split(":").pop()})`;
}
