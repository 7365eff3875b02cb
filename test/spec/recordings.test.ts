/**
 * Every response Auth0 was recorded sending must be documented and validate against the spec's schema for that
 * operation and status, and every request body the service accepted (a 2xx answer) must validate against the
 * spec's request schema: the request schemas are closed (`additionalProperties: false`), so a too-strict spec
 * would make the emulator, Prism and typed clients reject what the real service takes.
 */
import { describe, expect, it } from "vitest";
import { createSpecAjv, listOperations } from "../../src/shared/spec.js";
import {
  ADJACENT_RECORDINGS_DIR,
  describeInteraction,
  ORGANIZATION_CLIENT_GRANT_RECORDINGS_DIR,
  expectInteractionMatchesSpec,
  loadRecordings,
  wireDataProblems,
} from "../helpers/recordings.js";

const ajv = createSpecAjv();
const recordings = loadRecordings();

describe("recorded Auth0 interactions", () => {
  it("are all loaded (the four recording files: 51 + 26 + 384 + 161)", () => {
    expect(recordings).toHaveLength(622);
  });

  it("are all wire data: none comes from a hand-written or garbled cassette, the adjacent ones included", () => {
    const problems = [...recordings, ...loadRecordings(undefined, ADJACENT_RECORDINGS_DIR)].flatMap((r) =>
      wireDataProblems(r).map((problem) => `${r.source}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it("cover every operation the spec describes, together with the adjacent operations' and the client grant associations' recordings", () => {
    const others = [ADJACENT_RECORDINGS_DIR, ORGANIZATION_CLIENT_GRANT_RECORDINGS_DIR].flatMap((dir) => loadRecordings(undefined, dir));
    const recorded = new Set([...recordings, ...others].map((r) => `${r.method.toLowerCase()} ${r.pathTemplate}`));
    const missing = listOperations()
      .map((op) => `${op.method} ${op.pathTemplate}`)
      .filter((key) => !recorded.has(key));
    expect(missing).toEqual([]);
  });

  it.each(recordings.map((r, i) => [describeInteraction(r, i), r] as const))("%s matches the spec", (_label, recording) => {
    expectInteractionMatchesSpec(recording, ajv);
  });
});
