/**
 * The whole project's type check is vitest's own (`typecheck` in vitest.config.ts): it runs `tsc --noEmit -p
 * tsconfig.json` once per run — every file tsconfig.json includes, not only the `*.test-d.ts` files — and an error
 * in any of them fails the run as an "Unhandled Source Error". (A second whole-project tsc here used to repeat that
 * work.) This test pins the settings that make it so, so that the check cannot quietly shrink.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import config from "../../vitest.config.js";
import { PROJECT_ROOT } from "../helpers/project.js";

describe("TypeScript", () => {
  it("is checked by vitest's typecheck over the whole project, with source errors failing the run", () => {
    const typecheck = config.test?.typecheck;
    expect(typecheck?.enabled).toBe(true);
    expect(typecheck?.tsconfig).toBe("./tsconfig.json");
    expect(typecheck?.ignoreSourceErrors ?? false).toBe(false);
    expect(typecheck?.checker ?? "tsc").toBe("tsc");
  });

  it("includes the generated types, the sources, scripts and tests, strictly", () => {
    // The compiler options that make the check strict are pinned too.
    const tsconfig = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "tsconfig.json"), "utf8")) as {
      include: string[];
      compilerOptions: Record<string, unknown>;
    };
    expect(tsconfig.include).toEqual(expect.arrayContaining(["src", "scripts", "test", "generated"]));
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, noUncheckedIndexedAccess: true, noEmit: true });
  });
});
