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

export function loadRecordings(): RecordedInteraction[] {
  return readdirSync(RECORDINGS_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .flatMap((name) => (JSON.parse(readFileSync(path.join(RECORDINGS_DIR, name), "utf8")) as { interactions: RecordedInteraction[] }).interactions);
}

/** A short, unique-enough label for test names. */
export function describeInteraction(i: RecordedInteraction, index: number): string {
  return `#${index} ${i.method} ${i.pathTemplate} → ${i.status} (${i.source.split(":").pop()})`;
}
