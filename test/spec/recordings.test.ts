/**
 * Every response Auth0 was recorded sending must validate against the spec's schema for that operation and
 * status, and every recorded request body must be accepted by the request schema (the spec's request bodies are
 * closed with `additionalProperties: false`, so a too-strict spec would reject what real clients send).
 */
import { describe, expect, it } from "vitest";
import { createSpecAjv } from "../../src/shared/spec.js";
import { describeInteraction, expectInteractionMatchesSpec, loadRecordings } from "../helpers/recordings.js";

const ajv = createSpecAjv();
const recordings = loadRecordings();

describe("recorded Auth0 responses", () => {
  it("cover the operations the spec describes", () => {
    expect(recordings.length).toBeGreaterThanOrEqual(70);
  });

  it.each(recordings.map((r, i) => [describeInteraction(r, i), r] as const))("%s matches the spec", (_label, recording) => {
    expectInteractionMatchesSpec(recording, ajv);
  });
});
