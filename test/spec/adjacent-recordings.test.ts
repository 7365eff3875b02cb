/**
 * The recordings of the seven operations next to the organization-connection ones (list connections, list
 * organizations, organization by name, update organization, list clients, list client grants, list an
 * organization's client grants), each held to the spec both ways like the core recordings.
 */
import { describe, expect, it } from "vitest";
import { createSpecAjv } from "../../src/shared/spec.js";
import { ADJACENT_RECORDINGS_DIR, describeInteraction, expectInteractionMatchesSpec, loadRecordings } from "../helpers/recordings.js";

const ajv = createSpecAjv();
const recordings = loadRecordings(undefined, ADJACENT_RECORDINGS_DIR);

const OPERATIONS = [
  "GET /connections",
  "GET /organizations",
  "GET /organizations/name/{name}",
  "PATCH /organizations/{id}",
  "GET /clients",
  "GET /client-grants",
  "GET /organizations/{id}/client-grants",
];

describe("recorded Auth0 responses of the adjacent operations", () => {
  it("cover each of the seven operations, and only those", () => {
    expect(recordings).toHaveLength(186);
    expect(new Set(recordings.map((r) => `${r.method} ${r.pathTemplate}`))).toEqual(new Set(OPERATIONS));
  });

  it.each(recordings.map((r, i) => [describeInteraction(r, i), r] as const))("%s matches the spec", (_label, recording) => {
    expectInteractionMatchesSpec(recording, ajv);
  });
});
