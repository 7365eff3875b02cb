import { describe, expect, it } from "vitest";
import { BIN, run } from "../helpers/project.js";

describe("TypeScript", () => {
  it("compiles the generated types, the sources, scripts and tests under tsc --noEmit (strict)", async () => {
    const result = await run(BIN("tsc"), ["--noEmit", "-p", "."]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});
