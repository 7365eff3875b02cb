/** The real Auth0 interactions recorded against live tenants (test/fixtures/auth0-recordings). */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "vitest";
import { findOperation, findResponse, requestBodySchema, responseBodySchema } from "../../src/shared/spec.js";
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

/** The recordings of the operations next to the core ones (`adjacent/`: lists, organization by name and update, clients, grants). */
export const ADJACENT_RECORDINGS_DIR = path.join(RECORDINGS_DIR, "adjacent");

/** Associating and dissociating an organization's client grant (`organization-client-grants/`: go-auth0, terraform). */
export const ORGANIZATION_CLIENT_GRANT_RECORDINGS_DIR = path.join(RECORDINGS_DIR, "organization-client-grants");

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

const accepted = (status: number) => status >= 200 && status < 300;

/**
 * Checks one recorded interaction against the spec both ways: the operation and status are documented and the
 * recorded response body validates against that status's schema (an empty body only where none is documented),
 * and a request body the service accepted (2xx) validates against the operation's request schema.
 */
export function expectInteractionMatchesSpec(recording: RecordedInteraction, ajv: Ajv2020): void {
  const op = findOperation(recording.method, recording.pathTemplate);
  expect(op, `${recording.method} ${recording.pathTemplate} is not in the spec`).toBeDefined();
  if (!op) return;

  expect(findResponse(op, recording.status), `status ${recording.status} is not documented`).toBeDefined();
  const schema = responseBodySchema(op, recording.status);
  if (recording.responseBody === null) {
    expect(schema, "an empty body was recorded but the spec documents one").toBeUndefined();
  } else {
    expect(schema, "a body was recorded but the spec documents none").toBeDefined();
    const validate = ajv.compile(schema!);
    expect(validate(recording.responseBody), `response: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }

  if (recording.requestBody !== null && accepted(recording.status)) {
    const requestSchema = requestBodySchema(op);
    expect(requestSchema, "a request body was accepted but the spec takes none").toBeDefined();
    const validateRequest = ajv.compile(requestSchema!);
    expect(validateRequest(recording.requestBody), `accepted request: ${ajv.errorsText(validateRequest.errors)}`).toBe(true);
  }
}

/** A short, unique-enough label for test names. */
export function describeInteraction(i: RecordedInteraction, index: number): string {
  return `#${index} ${i.method} ${i.pathTemplate} → ${i.status} (${i.source.split(":").pop()})`;
}
