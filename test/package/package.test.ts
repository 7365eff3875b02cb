/**
 * What a user does: pack the package, install the tarball into a fresh project (consumer.ts), compile a program
 * against it with tsc and run it. Proves the exports map, the declarations, `files` (the generated spec the
 * emulator reads at run time) and the ESM build work together outside this repository. The installed commands
 * are in commands.test.ts.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listOperations } from "../../src/shared/spec.js";
import { run } from "../helpers/project.js";
import { installedConsumer, MANIFEST } from "./consumer.js";

let consumerDir = "";
let packedFiles: string[] = [];

beforeAll(async () => {
  ({ consumerDir, packedFiles } = await installedConsumer());
}, 600_000);

describe("the packed package", () => {
  it("is what `npm pack` builds on its own: its prepack script is `npm run build`, the build the tests pack", () => {
    expect(MANIFEST.scripts.prepack).toBe("npm run build");
  });

  it("ships the build, the declarations and the generated spec, and nothing else", () => {
    expect(packedFiles).toContain("dist/index.js");
    expect(packedFiles).toContain("dist/index.d.ts");
    expect(packedFiles).toContain("dist/types.d.ts");
    expect(packedFiles).toContain("dist/emulator/index.js");
    expect(packedFiles).toContain("generated/schema.d.ts");
    expect(packedFiles).toContain("generated/openapi.json");
    expect(packedFiles).toContain("generated/openapi.dereferenced.json");
    expect(packedFiles).toContain("dist/contract/bin.js");
    expect(packedFiles).toContain("dist/contract/dredd-hooks.cjs");
    const unexpected = packedFiles.filter((f) => !/^(dist\/.+\.(js|cjs|d\.ts)|generated\/.+|package\.json|README\.md|LICENSE)$/.test(f));
    expect(unexpected).toEqual([]);
    // The mock ships (auth0-mock, auth0-contract --target prism); the spec's and docs' own tooling stays out.
    expect(packedFiles.filter((f) => f.startsWith("dist/mock/")).sort()).toEqual(
      ["bin.d.ts", "bin.js", "command.d.ts", "command.js", "prism.d.ts", "prism.js"].map((f) => `dist/mock/${f}`),
    );
    expect(packedFiles.filter((f) => /^dist\/(docs|spec-tools|harness)\//.test(f))).toEqual([]);
    expect(packedFiles).toContain("dist/emulator/bin.js");
  });

  it("declares an ESM exports map for the client, the types and the emulator, free of side effects", async () => {
    const manifest = JSON.parse(await readFile(path.join(consumerDir, "node_modules/auth0-org-connections-toolkit/package.json"), "utf8")) as Record<string, unknown>;
    expect(manifest.type).toBe("module");
    expect(manifest.sideEffects).toBe(false);
    expect(Object.keys(manifest.exports as object)).toEqual([".", "./types", "./emulator", "./contract", "./package.json"]);
  });

  it("installs the auth0-contract command, which checks the embedded emulator against the contract", async () => {
    const ran = await run(path.join(consumerDir, "node_modules/.bin/auth0-contract"), [], { cwd: consumerDir, timeoutMs: 120_000 });
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/\d+ transactions: \d+ ran, \d+ passed, 0 failed/);
    const usage = await run(path.join(consumerDir, "node_modules/.bin/auth0-contract"), ["--target", "nowhere"], { cwd: consumerDir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown --target 'nowhere'");
  });

  it("type-checks a consumer program with tsc, then runs it through every operation", async () => {
    const compiled = await run(path.join(consumerDir, "node_modules/.bin/tsc"), ["-p", "."], { cwd: consumerDir, timeoutMs: 120_000 });
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.code).toBe(0);

    const ran = await run(process.execPath, ["out/main.js"], { cwd: consumerDir, timeoutMs: 60_000 });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    const report = JSON.parse(ran.stdout) as { operations: string[]; total: number; walked: number; errorCode: string | null; rateLimit: boolean; wrongLevel: string };
    const everyOperation = listOperations().map((op) => `${op.method.toUpperCase()} ${op.pathTemplate}`).sort();
    expect(report.operations).toEqual(everyOperation);
    // Both families list the same links: one added through each.
    expect(report).toMatchObject({ total: 2, walked: 2, errorCode: null, rateLimit: true });
  });

  it("fails to compile a consumer that misuses the API (the types are real, not any)", async () => {
    await writeFile(
      path.join(consumerDir, "bad.ts"),
      [
        'import { createManagementClient } from "auth0-org-connections-toolkit";',
        'const client = createManagementClient({ domain: "acme.auth0.com", token: "t" });',
        'void client.POST("/organizations/{id}/connections", { params: { path: { id: "org_1" } }, body: { connection_id: "c", is_enabld: true } });',
        'void client.GET("/organizations/{id}", { params: { path: { organization: "org_1" } } });',
      ].join("\n"),
    );
    await writeFile(path.join(consumerDir, "tsconfig.bad.json"), JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noEmit: true }, files: ["bad.ts"] }));
    const compiled = await run(path.join(consumerDir, "node_modules/.bin/tsc"), ["-p", "tsconfig.bad.json"], { cwd: consumerDir, timeoutMs: 120_000 });
    expect(compiled.code).not.toBe(0);
    expect(compiled.stdout).toMatch(/bad\.ts\(3,\d+\): error TS2322: Type 'true' is not assignable to type 'never'/);
    expect(compiled.stdout).toMatch(/bad\.ts\(4,\d+\): error/);
  });
});
