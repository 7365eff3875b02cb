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

/**
 * Cassettes in Auth0's public repositories that are not what a live tenant answered: written by hand (made-up ids,
 * every duration 1 ms or a round number) or recorded concurrently with answers paired to the wrong requests
 * (a connection's answer to `POST /organizations`). Named by `repo@commit:path` prefix; every cassette those two
 * go-auth0 commits added is hand-written, the Terraform commit also added real ones.
 */
export const NOT_WIRE_DATA_SOURCES = [
  "auth0/terraform-provider-auth0@947d2cc3:test/data/recordings/TestAccDataSourceClientGrantOrganizations.yaml",
  "auth0/terraform-provider-auth0@947d2cc3:test/data/recordings/TestAccDataSourceUserOrganizations.yaml",
  "auth0/terraform-provider-auth0@947d2cc3:test/data/recordings/TestAccOrganizationClient.yaml",
  "auth0/go-auth0@1fb93a32:",
  "auth0/go-auth0@f0c74f69:",
  "auth0/terraform-provider-auth0@dda6c370:auth0/testdata/recordings/TestAccOrganization.yaml",
];

/** The id forms the service gives (a prefix and 16 letters or digits); hand-written cassettes make up others. */
const SERVICE_ID = /\b(con|org|cgr)_[A-Za-z0-9]+/g;
const SERVICE_ID_FORM = /^(con|org|cgr)_[A-Za-z0-9]{16}$/;

/** Which id prefix a 2xx answer's `id` has, by the resource the path addresses. */
const RESOURCE_PREFIX: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/connections(\/\{id\})?$/, "con_"],
  [/^\/organizations(\/\{id\}|\/name\/\{name\})?$/, "org_"],
];

/**
 * Why an interaction cannot be what a live tenant answered (empty when nothing says so): it comes from a known
 * hand-written or garbled cassette, an id has a form the service never gives, or a successful answer describes
 * another resource than the request named (answers swapped between concurrent requests).
 */
export function wireDataProblems(r: RecordedInteraction): string[] {
  const problems: string[] = [];
  const known = NOT_WIRE_DATA_SOURCES.find((prefix) => r.source.startsWith(prefix));
  if (known) problems.push(`comes from ${known}, which is not wire data`);
  const made = [...new Set(JSON.stringify([r.url, r.requestBody, r.responseBody]).match(SERVICE_ID) ?? [])].filter((id) => !SERVICE_ID_FORM.test(id));
  if (made.length > 0) problems.push(`ids of a form the service never gives: ${made.join(", ")}`);
  const body = r.responseBody as Record<string, unknown> | null;
  if (!accepted(r.status) || body === null || typeof body !== "object" || Array.isArray(body)) return problems;
  const prefix = RESOURCE_PREFIX.find(([template]) => template.test(r.pathTemplate))?.[1];
  if (prefix && typeof body.id === "string" && !body.id.startsWith(prefix)) problems.push(`a ${prefix}… resource was asked for, the answer is ${body.id}`);
  const named = /^\/(connections|organizations)\/([^/?]+)$/.exec(r.url.replace(/^\/api\/v2/, "").split("?")[0]!);
  if (named && r.pathTemplate.endsWith("{id}") && typeof body.id === "string" && body.id !== decodeURIComponent(named[2]!)) problems.push(`the request names ${named[2]}, the answer ${body.id}`);
  const link = /\/enabled_connections\/([^/?]+)$/.exec(r.url.split("?")[0]!);
  if (link && typeof body.connection_id === "string" && body.connection_id !== link[1]) problems.push(`the request names ${link[1]}, the answer ${body.connection_id}`);
  return problems;
}
