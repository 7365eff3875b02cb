/**
 * The checks a recorded Auth0 interaction must pass, without a test runner (test/tools/harvest-recordings.ts uses
 * them too): is it wire data, and does the spec describe it both ways.
 */
import type { Ajv2020 } from "ajv/dist/2020.js";
import { findOperation, findResponse, requestBodySchema, responseBodySchema } from "../../src/shared/spec.js";

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

const accepted = (status: number) => status >= 200 && status < 300;
const isEmptyObject = (value: unknown) => value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;

/**
 * What the spec gets wrong about one recorded interaction (empty when nothing): the operation and status must be
 * documented, the recorded response body must validate against that status's schema (an empty body only where
 * none is documented), and a request body the service accepted (2xx) must validate against the request schema.
 */
export function interactionSpecProblems(recording: RecordedInteraction, ajv: Ajv2020): string[] {
  const op = findOperation(recording.method, recording.pathTemplate);
  if (!op) return [`${recording.method} ${recording.pathTemplate} is not in the spec`];
  const problems: string[] = [];
  if (!findResponse(op, recording.status)) problems.push(`status ${recording.status} is not documented`);
  const schema = responseBodySchema(op, recording.status);
  if (recording.responseBody === null) {
    if (schema) problems.push("an empty body was recorded but the spec documents one");
  } else if (!schema) {
    problems.push("a body was recorded but the spec documents none");
  } else {
    const validate = ajv.compile(schema);
    if (!validate(recording.responseBody)) problems.push(`response: ${ajv.errorsText(validate.errors)}`);
  }

  if (recording.requestBody !== null && accepted(recording.status)) {
    const requestSchema = requestBodySchema(op);
    if (!requestSchema) {
      // `{}` says nothing: some clients send it with every DELETE (deploy-cli), and the service ignores it.
      if (!isEmptyObject(recording.requestBody)) problems.push("a request body was accepted but the spec takes none");
    } else {
      const validateRequest = ajv.compile(requestSchema);
      if (!validateRequest(recording.requestBody)) problems.push(`accepted request: ${ajv.errorsText(validateRequest.errors)}`);
    }
  }
  return problems;
}

/**
 * Cassettes in Auth0's public repositories that are not what a live tenant answered: written by hand (made-up ids,
 * every duration 1 ms or a round number) or recorded concurrently with answers paired to the wrong requests
 * (a connection's answer to `POST /organizations`; deploy-cli @5ccbebf4 answered `PATCH /connections/{id}` with a
 * 201 and paired it with the creation's body, which @87ac5b11 kept), or rewritten by the suite's redaction hook
 * (go-auth0 @9460b751 stored a `GET /clients` list as one redacted client). Named by `repo@commit:path` prefix; every cassette those two
 * go-auth0 commits added is hand-written, the Terraform commit also added real ones.
 */
export const NOT_WIRE_DATA_SOURCES = [
  "auth0/terraform-provider-auth0@947d2cc3:test/data/recordings/TestAccDataSourceClientGrantOrganizations.yaml",
  "auth0/terraform-provider-auth0@947d2cc3:test/data/recordings/TestAccDataSourceUserOrganizations.yaml",
  "auth0/terraform-provider-auth0@947d2cc3:test/data/recordings/TestAccOrganizationClient.yaml",
  "auth0/go-auth0@1fb93a32:",
  "auth0/go-auth0@f0c74f69:",
  "auth0/terraform-provider-auth0@dda6c370:auth0/testdata/recordings/TestAccOrganization.yaml",
  "auth0/go-auth0@9460b751:test/data/recordings/TestOrganizationManager_ClientGrantsWithOrg.yaml#5",
  "auth0/auth0-deploy-cli@5ccbebf4:test/e2e/recordings/should-deploy-while-deleting-resources-if-AUTH0_ALLOW_DELETE-is-true.json",
  "auth0/auth0-deploy-cli@87ac5b11:test/e2e/recordings/should-deploy-while-deleting-resources-if-AUTH0_ALLOW_DELETE-is-true.json#45",
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
  if (named && r.pathTemplate.endsWith("{id}") && typeof body.id === "string" && body.id !== decodeURIComponent(named[2]!))
    problems.push(`the request names ${named[2]}, the answer ${body.id}`);
  const link = /\/enabled_connections\/([^/?]+)$/.exec(r.url.split("?")[0]!);
  if (link && typeof body.connection_id === "string" && body.connection_id !== link[1])
    problems.push(`the request names ${link[1]}, the answer ${body.connection_id}`);
  return problems;
}
