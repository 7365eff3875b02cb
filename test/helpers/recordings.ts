/** The real Auth0 interactions recorded against live tenants (test/fixtures/auth0-recordings). */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "vitest";
import { interactionSpecProblems, type RecordedInteraction } from "./recording-checks.js";
import { RECORDINGS_DIR } from "./project.js";

export { NOT_WIRE_DATA_SOURCES, type RecordedInteraction, wireDataProblems } from "./recording-checks.js";

/** The curated sets, recorded in order with their set-up steps (the history sets are de-duplicated cassettes). */
export const SEQUENTIAL_RECORDING_FILES = ["go-auth0.json", "terraform-provider-auth0.json"];

/** The recordings of the operations next to the core ones (`adjacent/`: lists, organization by name and update, clients, grants). */
export const ADJACENT_RECORDINGS_DIR = path.join(RECORDINGS_DIR, "adjacent");

/** Associating and dissociating an organization's client grant (`organization-client-grants/`: go-auth0, terraform). */
export const ORGANIZATION_CLIENT_GRANT_RECORDINGS_DIR = path.join(RECORDINGS_DIR, "organization-client-grants");
/** Interactions harvested from every cassette version of Auth0's test suites, in shapes no file above has (`harvest/`). */
export const HARVESTED_RECORDINGS_DIR = path.join(RECORDINGS_DIR, "harvest");

/** The names of the recording files directly in `dir` (by default the recordings of the 19 core operations), sorted. */
export function recordingFiles(dir: string = RECORDINGS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort();
}

/** The interactions of every recording file in `dir`, or only of those named in `files`. */
export function loadRecordings(files?: readonly string[], dir: string = RECORDINGS_DIR): RecordedInteraction[] {
  return recordingFiles(dir)
    .filter((name) => files === undefined || files.includes(name))
    .flatMap((name) => (JSON.parse(readFileSync(path.join(dir, name), "utf8")) as { interactions: RecordedInteraction[] }).interactions);
}

/**
 * Checks one recorded interaction against the spec both ways (see `interactionSpecProblems`): the operation and
 * status are documented, the response body validates, and an accepted request body validates.
 */
export function expectInteractionMatchesSpec(recording: RecordedInteraction, ajv: Ajv2020): void {
  expect(interactionSpecProblems(recording, ajv)).toEqual([]);
}

/** A short, unique-enough label for test names. */
export function describeInteraction(i: RecordedInteraction, index: number): string {
  return `#${index} ${i.method} ${i.pathTemplate} → ${i.status} (${i.source.split(":").pop()})`;
}
