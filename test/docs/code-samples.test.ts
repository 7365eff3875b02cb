/**
 * The reference's code samples compile: every TypeScript sample the docs build writes is type-checked with
 * tsc against this package's own types (src/client, as `@auth0-org-connections/client`) and the installed official
 * `auth0` SDK, so a sample that stops matching either fails here. A deliberately broken sample in the same run
 * proves the check can fail. The curl samples are checked by the shell's parser and against the spec's paths.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { codeSamplesFor, operationsWithoutSdkMethod, SAMPLE_LABELS, specWithCodeSamples, type CodeSample } from "../../src/docs/samples.js";
import { OFFICIAL_SDK_METHODS } from "../../src/docs/samples-sdk.js";
import { listOperations, loadBundledSpec, loadDereferencedSpec, type Operation } from "../../src/shared/spec.js";
import { BIN, PROJECT_ROOT, run } from "../helpers/project.js";

const spec = loadDereferencedSpec();
const operations = listOperations();
const samples = new Map(operations.map((op) => [op.operationId, codeSamplesFor(op, spec)]));
const fileName = (operationId: string, sample: CodeSample) => `${operationId}.${sample.label === SAMPLE_LABELS.sdk ? "sdk" : "client"}.ts`;

/** A sample of a made-up operation whose body has a misspelt field: it must not compile. */
function brokenSample(): CodeSample {
  const template = operations.find((op) => op.operationId === "updateOrganizationConnection")!;
  const broken: Operation = structuredClone(template);
  broken.operationId = "brokenOnPurpose";
  broken.operation.requestBody!.content["application/json"]!.examples = { typo: { value: { organization_acess_level: "readonly" } } };
  return codeSamplesFor(broken, spec)[0]!;
}

// Inside the repository, so that `auth0` and @types/node resolve from its node_modules.
const dir = path.join(PROJECT_ROOT, "reports", `code-samples-${process.pid}`);
let errorsByFile: Record<string, string[]> = {};

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const [operationId, list] of samples) {
    for (const sample of list.filter((s) => s.lang === "TypeScript")) {
      files.push(fileName(operationId, sample));
      await writeFile(path.join(dir, files.at(-1)!), sample.source);
    }
  }
  await writeFile(path.join(dir, "brokenOnPurpose.client.ts"), brokenSample().source);
  await writeFile(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.json",
      // The package name resolves to this repository's source, as it resolves to dist/ for an installed user.
      compilerOptions: { noEmit: true, paths: { "@auth0-org-connections/client": ["../../src/client/index.ts"] } },
      include: ["*.ts"],
    }),
  );
  const result = await run(BIN("tsc"), ["-p", dir, "--pretty", "false"], { timeoutMs: 180_000 });
  errorsByFile = {};
  for (const line of result.stdout.split("\n")) {
    const match = /^(?:.*\/)?([^/(]+\.ts)\(\d+,\d+\): error (.*)$/.exec(line.trim());
    if (match) (errorsByFile[match[1]!] ??= []).push(match[2]!);
    else if (line.trim()) (errorsByFile["(tsc)"] ??= []).push(line.trim());
  }
}, 200_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the reference's code samples", () => {
  it("exist for every operation: the typed client, the official SDK where its method is known, and curl", () => {
    const documented = specWithCodeSamples(loadBundledSpec(), spec);
    for (const op of operations) {
      const written = (documented.paths[op.pathTemplate]![op.method] as { "x-codeSamples"?: CodeSample[] })["x-codeSamples"];
      const expected = [SAMPLE_LABELS.client, ...(OFFICIAL_SDK_METHODS[op.operationId] ? [SAMPLE_LABELS.sdk] : []), SAMPLE_LABELS.curl];
      expect(
        written?.map((s) => s.label),
        op.operationId,
      ).toEqual(expected);
    }
  });

  it("name an official SDK method for every operation", () => {
    // A new operation still gets client and curl samples; this lists the entries src/docs/samples-sdk.ts lacks.
    expect(operationsWithoutSdkMethod(), "operations without an entry in src/docs/samples-sdk.ts").toEqual([]);
  });

  it("are all listed, in order, in the Redoc options (Redoc shows only the languages listed there)", async () => {
    const config = parse(await readFile(path.join(PROJECT_ROOT, "redocly.yaml"), "utf8")) as {
      openapi?: { codeSamples?: { languages?: Array<{ label: string }> } };
    };
    expect(config.openapi?.codeSamples?.languages?.map((l) => l.label)).toEqual([SAMPLE_LABELS.client, SAMPLE_LABELS.sdk, SAMPLE_LABELS.curl]);
  });

  it("name no SDK method for an operation the spec does not have", () => {
    const known = new Set(operations.map((op) => op.operationId));
    expect(Object.keys(OFFICIAL_SDK_METHODS).filter((id) => !known.has(id))).toEqual([]);
  });

  it("type-check in TypeScript against this package and the auth0 SDK", () => {
    const { "brokenOnPurpose.client.ts": broken, ...others } = errorsByFile;
    expect(others).toEqual({});
    // The same run rejects a sample with a misspelt body field, so a sample that stops matching would fail.
    expect(broken?.join("\n")).toMatch(/TS2\d{3}/);
  });

  it.each(operations.map((op) => [op.operationId, op] as const))(
    "%s: the curl sample parses as shell and calls the operation's path",
    async (operationId, op) => {
      const curl = samples.get(operationId)!.find((s) => s.label === SAMPLE_LABELS.curl)!.source;
      const parsed = await run("sh", ["-n", "-c", curl]);
      expect(parsed.code, parsed.stderr).toBe(0);
      expect(curl).toContain(`--request ${op.method.toUpperCase()}`);
      const url = /--url '([^']+)'/.exec(curl)![1]!;
      const pattern = new RegExp(`^https://[^/]+/api/v2${op.pathTemplate.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      expect(url).toMatch(pattern);
    },
  );
});
