/**
 * The interactions harvested from every version of every cassette Auth0's own test suites recorded
 * (test/tools/harvest-recordings.ts → test/fixtures/auth0-recordings/harvest/), in shapes the curated files do not
 * have, held to the spec both ways like those: each response documented and valid, each accepted request valid.
 */
import { describe, expect, it } from "vitest";
import { createSpecAjv, listOperations } from "../../src/shared/spec.js";
import { describeInteraction, expectInteractionMatchesSpec, HARVESTED_RECORDINGS_DIR, loadRecordings, wireDataProblems } from "../helpers/recordings.js";

const ajv = createSpecAjv();
const recordings = loadRecordings(undefined, HARVESTED_RECORDINGS_DIR);

describe("harvested Auth0 recordings", () => {
  it("are all loaded, from four repositories and for 15 of the spec's operations, and are all wire data", () => {
    expect(recordings).toHaveLength(475);
    expect(new Set(recordings.map((r) => r.source.split("@")[0]))).toEqual(
      new Set(["auth0/terraform-provider-auth0", "auth0/go-auth0", "auth0/auth0-deploy-cli", "auth0/ruby-auth0"]),
    );
    const operations = new Set(listOperations().map((op) => `${op.method.toUpperCase()} ${op.pathTemplate}`));
    const recorded = new Set(recordings.map((r) => `${r.method} ${r.pathTemplate}`));
    expect([...recorded].filter((op) => !operations.has(op))).toEqual([]);
    expect(recordings.flatMap((r) => wireDataProblems(r).map((problem) => `${r.source}: ${problem}`))).toEqual([]);
  });

  it.each(recordings.map((r, i) => [describeInteraction(r, i), r] as const))("%s matches the spec", (_label, recording) => {
    expectInteractionMatchesSpec(recording, ajv);
  });
});
