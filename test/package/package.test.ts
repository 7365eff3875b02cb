/**
 * What a user gets: each package of this repository packed (packed.ts), then all of them installed together into a
 * fresh project (consumer.ts) where a program is compiled against them with tsc and run. Proves each manifest
 * (exports, types, files, engines, bin), that each package declares exactly the packages its shipped code imports,
 * and that the build and the generated files the code reads at run time travel with it. The installed commands
 * are in commands.test.ts; the client installed alone in client-only.test.ts.
 */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listOperations } from "../../src/shared/spec.js";
import { PROJECT_ROOT, run } from "../helpers/project.js";
import { installedConsumer } from "./consumer.js";
import { packedPackages, type PackedPackage } from "./packed.js";

const ROOT_MANIFEST = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { engines: unknown; workspaces: string[] };

let packages: PackedPackage[] = [];
let consumerDir = "";

beforeAll(async () => {
  packages = await packedPackages();
  ({ consumerDir } = await installedConsumer());
}, 600_000);

/** The package a bare import specifier names (`ajv/dist/2020.js` → `ajv`, `@scope/name/x` → `@scope/name`). */
const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

/** Dredd's hook files `require("hooks")`, a module Dredd itself provides while it loads them. */
const PROVIDED_BY_DREDD = "hooks";

/** The packages a built package's JavaScript imports or requires (relative imports and Node's own modules left out). */
function importedPackages(pkg: PackedPackage): string[] {
  const names = new Set<string>();
  for (const file of pkg.files.filter((f) => /\.(js|cjs)$/.test(f))) {
    const code = readFileSync(path.join(pkg.dir, file), "utf8");
    const statements = [
      /^\s*(?:import|export)\s[^'"]*?\bfrom\s*["']([^"']+)["']/gm, // import … from "x", export … from "x"
      /^\s*import\s*["']([^"']+)["']/gm, // import "x"
      /\bimport\(\s*["']([^"']+)["']\s*\)/g, // import("x")
      // require("x"), require.resolve("x"), and a require made with createRequire under another name (requireFromHere("x"))
      /\b\w*require\w*(?:\.resolve)?\(\s*["']([^"']+)["']\s*\)/gi,
    ];
    for (const match of statements.flatMap((statement) => [...code.matchAll(statement)])) {
      const specifier = match[1]!;
      if (specifier.startsWith(".") || isBuiltin(specifier) || specifier === PROVIDED_BY_DREDD) continue;
      names.add(packageOf(specifier));
    }
  }
  return [...names].sort();
}

describe("the packages", () => {
  it("are the repository's workspaces, one per capability, each a folder under src/", () => {
    expect(packages.map((p) => path.relative(PROJECT_ROOT, p.dir))).toEqual(ROOT_MANIFEST.workspaces);
    expect(ROOT_MANIFEST.workspaces.every((folder) => /^src\/[\w-]+$/.test(folder))).toBe(true);
    expect(packages.map((p) => p.manifest.name)).toEqual([
      "@auth0-org-connections/client",
      "@auth0-org-connections/emulator",
      "@auth0-org-connections/mock",
      "@auth0-org-connections/contract",
    ]);
  });

  it("each declare an ESM exports map with types, files, engines and a prepack build, and ship a README", () => {
    for (const { manifest, files } of packages) {
      const name = manifest.name;
      expect(manifest.type, name).toBe("module");
      expect(manifest.sideEffects, name).toBe(false);
      expect(manifest.files, name).toEqual(["dist"]);
      expect(manifest.engines, name).toEqual(ROOT_MANIFEST.engines);
      expect((manifest.scripts as Record<string, string>).prepack, name).toBe("npm run build");
      expect(files, name).toContain("README.md");
      const exportsMap = manifest.exports as Record<string, string | { types: string; default: string }>;
      expect(exportsMap["./package.json"], name).toBe("./package.json");
      for (const [subpath, target] of Object.entries(exportsMap)) {
        if (subpath === "./package.json") continue;
        if (typeof target === "string") {
          // A data file (the spec): shipped as it is, no types needed.
          expect(target, `${name} ${subpath}`).toMatch(/\.json$/);
          expect(files, `${name} ${subpath}`).toContain(target.replace(/^\.\//, ""));
          continue;
        }
        const { types, default: code } = target;
        expect(files, `${name} ${subpath}`).toContain(types.replace(/^\.\//, ""));
        expect(files, `${name} ${subpath}`).toContain(code.replace(/^\.\//, ""));
      }
    }
  });

  it("ship their build and the generated files it reads, and nothing else (no spec tooling beyond the docs build, no harnesses)", () => {
    // Issue 21: the emulator ships the example seed (`--seed example`); the contract package builds the docs page
    // (`auth0-contract docs`), so it ships the docs modules, the Redocly runner, the page template and redocly.yaml.
    const extras: Record<string, RegExp> = {
      "@auth0-org-connections/emulator": /^dist\/examples\/seed\.json$/,
      "@auth0-org-connections/contract": /^(dist\/redocly\.yaml|dist\/src\/docs\/template\.hbs)$/,
    };
    for (const { manifest, files } of packages) {
      const extra = extras[manifest.name] ?? /^$/;
      const unexpected = files.filter(
        (f) =>
          !/^(dist\/src\/[\w-]+\/.+\.(js|cjs|d\.ts)|dist\/generated\/(schema\.d\.ts|spec-facts\.(js|d\.ts)|openapi(\.dereferenced)?\.json|drift-accepted\.json|official-decisions\.json)|package\.json|README\.md)$/.test(
            f,
          ) && !extra.test(f),
      );
      expect(unexpected, manifest.name).toEqual([]);
      const docsAllowed = manifest.name === "@auth0-org-connections/contract";
      const docsFiles = files.filter(
        (f) => /^dist\/src\/(docs|spec-tools)\//.test(f) && !(docsAllowed && /^dist\/src\/(docs\/|spec-tools\/redocly\.)/.test(f)),
      );
      expect([...docsFiles, ...files.filter((f) => f.includes("harness"))], manifest.name).toEqual([]);
    }
    expect(packages.find((p) => p.manifest.name === "@auth0-org-connections/emulator")?.files).toContain("dist/examples/seed.json");
  });

  it("each declare exactly the packages their shipped code imports", () => {
    for (const pkg of packages) {
      const declared = Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies }).sort();
      expect(importedPackages(pkg), pkg.manifest.name).toEqual(declared);
    }
  });

  it("give each command to one package, from a built file that Node runs directly", () => {
    const commands = Object.fromEntries(packages.flatMap((p) => Object.entries(p.manifest.bin ?? {}).map(([command, file]) => [command, { pkg: p, file }])));
    expect(Object.keys(commands).sort()).toEqual(["auth0-contract", "auth0-emulator", "auth0-mock"]);
    for (const [command, { pkg, file }] of Object.entries(commands)) {
      expect(pkg.files, command).toContain(file.replace(/^\.\//, ""));
      expect(readFileSync(path.join(pkg.dir, file), "utf8").startsWith("#!/usr/bin/env node\n"), command).toBe(true);
    }
  });
});

describe("the packages installed together", () => {
  it("type-checks a consumer program with tsc, then runs it through every operation", async () => {
    const compiled = await run(path.join(consumerDir, "node_modules/.bin/tsc"), ["-p", "."], { cwd: consumerDir, timeoutMs: 120_000 });
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.code).toBe(0);

    const ran = await run(process.execPath, ["out/main.js"], { cwd: consumerDir, timeoutMs: 60_000 });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    const report = JSON.parse(ran.stdout) as {
      operations: string[];
      total: number;
      walked: number;
      errorCode: string | null;
      rateLimit: boolean;
      wrongLevel: string;
    };
    const everyOperation = listOperations()
      .map((op) => `${op.method.toUpperCase()} ${op.pathTemplate}`)
      .sort();
    expect(report.operations).toEqual(everyOperation);
    // Both families list the same links: one added through each.
    expect(report).toMatchObject({ total: 2, walked: 2, errorCode: null, rateLimit: true });
  });

  it("fails to compile a consumer that misuses the API (the types are real, not any)", async () => {
    await writeFile(
      path.join(consumerDir, "bad.ts"),
      [
        'import { createManagementClient } from "@auth0-org-connections/client";',
        'const client = createManagementClient({ domain: "acme.auth0.com", token: "t" });',
        'void client.POST("/organizations/{id}/connections", { params: { path: { id: "org_1" } }, body: { connection_id: "c", is_enabld: true } });',
        'void client.GET("/organizations/{id}", { params: { path: { organization: "org_1" } } });',
      ].join("\n"),
    );
    await writeFile(
      path.join(consumerDir, "tsconfig.bad.json"),
      JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noEmit: true }, files: ["bad.ts"] }),
    );
    const compiled = await run(path.join(consumerDir, "node_modules/.bin/tsc"), ["-p", "tsconfig.bad.json"], { cwd: consumerDir, timeoutMs: 120_000 });
    expect(compiled.code).not.toBe(0);
    expect(compiled.stdout).toMatch(/bad\.ts\(3,\d+\): error TS2322: Type 'true' is not assignable to type 'never'/);
    expect(compiled.stdout).toMatch(/bad\.ts\(4,\d+\): error/);
  });
});
