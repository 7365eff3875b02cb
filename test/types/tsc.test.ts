import { describe, expect, it } from "vitest";
import { BIN, run } from "../helpers/project.js";

describe("TypeScript", () => {
  it("compiles the generated types, the sources, scripts and tests under tsc --noEmit (strict)", async () => {
    const result = await run(BIN("tsc"), ["--noEmit", "-p", "."], { timeoutMs: 170_000 });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
    // The official SDK's declarations (imported by test/sdk) add some 660 files; on a busy machine the whole check
    // takes more than a minute. A bound, not a speed target.
  }, 180_000);
});
