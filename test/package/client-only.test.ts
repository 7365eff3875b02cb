/**
 * What a user of the client alone does: install the client package's tarball with nothing else into a fresh strict
 * TypeScript project outside this repository, type-check a consumer with tsc and run it against an emulator.
 * Proves the package stands alone (its exports, declarations and the one shared module and generated types its
 * build carries inside it) and stays small: openapi-fetch is its only dependency.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { measureNodeModules } from "../harness/bench/install-size.js";
import { PROJECT_ROOT, run } from "../helpers/project.js";
import { oncePerRun } from "../helpers/shared-build.js";
import { STRICT_TSCONFIG } from "./consumer.js";
import { npmInstall, packedPackage, type PackedPackage } from "./packed.js";

const PACKAGE_NAME = "@auth0-org-connections/client";
// The bound for a client-only install, this package included.
const MAX_PACKAGES = 5;
const TSC = path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc");
const CLIENT = { client_id: "clientOnlyApp", client_secret: "client-only-secret-0001" };

let consumerDir = "";
let packed: PackedPackage;
let emulator: RunningEmulator | undefined;

beforeAll(async () => {
  packed = await packedPackage(PACKAGE_NAME);
  const workDir = await oncePerRun("client-only-consumer", async (folder) => {
    const consumer = path.join(folder, "consumer");
    await mkdir(consumer, { recursive: true });
    await writeFile(path.join(consumer, "package.json"), JSON.stringify({ name: "client-only-consumer", private: true, type: "module" }, null, 2));
    await npmInstall(consumer, [packed.tarball], ["--omit=dev"]);
    return undefined;
  });
  consumerDir = path.join(workDir, "consumer");
  emulator = await startEmulator({ port: 0, host: "127.0.0.1", seed: { clients: [CLIENT] } });
}, 600_000);

afterAll(async () => {
  await emulator?.close();
});

describe("the client package, installed alone", () => {
  it("ships its build, declarations and the generated types, and nothing else", () => {
    expect(packed.files).toContain("dist/src/client/index.js");
    expect(packed.files).toContain("dist/src/client/index.d.ts");
    expect(packed.files).toContain("dist/src/client/types.d.ts");
    expect(packed.files).toContain("dist/generated/schema.d.ts");
    expect(packed.files).toContain("dist/generated/openapi.json");
    const unexpected = packed.files.filter(
      (f) =>
        !/^(dist\/(src\/(client|shared)\/[\w-]+|generated\/(schema|spec-facts))\.(js|d\.ts)|dist\/generated\/openapi\.json|package\.json|README\.md)$/.test(f),
    );
    expect(unexpected).toEqual([]);
  });

  it("hands out the OpenAPI document itself, the one its types were generated from", async () => {
    const script = 'import spec from "@auth0-org-connections/client/openapi.json" with { type: "json" }; console.log(JSON.stringify(spec));';
    const ran = await run(process.execPath, ["--input-type=module", "--no-warnings", "-e", script], { cwd: consumerDir, timeoutMs: 30_000 });
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual(JSON.parse(await readFile(path.join(PROJECT_ROOT, "generated", "openapi.json"), "utf8")));
  });

  it(`installs at most ${MAX_PACKAGES} packages in all, with openapi-fetch its only dependency`, async () => {
    const manifest = JSON.parse(await readFile(path.join(consumerDir, "node_modules", PACKAGE_NAME, "package.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(manifest.dependencies as object)).toEqual(["openapi-fetch"]);
    const { packages, bytes } = measureNodeModules(path.join(consumerDir, "node_modules"));
    console.log(`client-only install: ${packages} packages, ${(bytes / 1_048_576).toFixed(2)} MB`);
    expect(packages).toBeGreaterThanOrEqual(2);
    expect(packages).toBeLessThanOrEqual(MAX_PACKAGES);
  });

  it("type-checks a strict consumer with tsc, then runs it against an emulator", async () => {
    await writeFile(path.join(consumerDir, "tsconfig.json"), JSON.stringify(STRICT_TSCONFIG));
    await copyFile(path.join(PROJECT_ROOT, "test/package/consumer/client-only.ts.txt"), path.join(consumerDir, "main.ts"));
    const config = { baseUrl: emulator!.baseUrl, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret, audience: emulator!.audience };
    await writeFile(
      path.join(consumerDir, "config.ts"),
      Object.entries(config)
        .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`)
        .join("\n") + "\n",
    );

    const compiled = await run(process.execPath, [TSC, "-p", "."], { cwd: consumerDir, timeoutMs: 120_000 });
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.code).toBe(0);

    const ran = await run(process.execPath, ["out/main.js"], { cwd: consumerDir, timeoutMs: 60_000 });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual({ accessLevel: "readonly", walked: 1, errorCode: "404 Not Found", wrongLevel: "admin" });
  });
});
