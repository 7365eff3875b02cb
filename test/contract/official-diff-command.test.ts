/**
 * `npm run official-diff -- <document>` as a user runs it (one process per case where the exit code matters),
 * and the reading of the document: files, https URLs (through a stand-in fetch: the machine has no internet),
 * limits on size and time, and clear usage errors (exit 2) for what cannot be read or is not Auth0's kind of document.
 */
import { listOperations } from "../../src/shared/spec.js";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { officialDiffCommand } from "../../src/contract/official-diff/command.js";
import { OfficialDocumentError, readOfficialDocument } from "../../src/contract/official-diff/document.js";
import { main as contractMain } from "../../src/contract/cli.js";
import { runInProcess } from "../helpers/command-io.js";
import { NPM, PROJECT_ROOT, run } from "../helpers/project.js";

const OFFICIAL_FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "official-document", "management-api-oas.json");

let dir: string;
let mutated: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "official-diff-"));
  const doc = JSON.parse(await readFile(OFFICIAL_FIXTURE, "utf8"));
  doc.components.schemas.GetOrganizationAllConnectionResponseContent.properties.organization_member_access_level = { type: "string" };
  mutated = path.join(dir, "moved.json");
  await writeFile(mutated, JSON.stringify(doc));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("npm run official-diff", () => {
  it("exits 0 and says nothing is new for the stored document", async () => {
    const result = await run(NPM, ["run", "--silent", "official-diff", "--", OFFICIAL_FIXTURE], { timeoutMs: 120_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(`Nothing new: all ${listOperations().length} operations match Auth0's document or differ as decided.`);
    expect(result.code).toBe(0);
  });

  it("exits 1 and names the new field with its operation and place, in the output and the Markdown summary", async () => {
    const summary = path.join(dir, "summary.md");
    const result = await run(NPM, ["run", "--silent", "official-diff", "--", mutated, "--summary", summary], { timeoutMs: 120_000 });
    expect(result.stdout).toMatch(/New \(\d+\):/);
    expect(result.stdout).toContain(
      "✗ GET /organizations/{id}/connections/{connection_id}  /response/200/body/organization_member_access_level  [response-field-added]",
    );
    expect(result.code).toBe(1);
    const markdown = await readFile(summary, "utf8");
    expect(markdown).toContain(
      "| `GET /organizations/{id}/connections/{connection_id}` | `/response/200/body/organization_member_access_level` | response-field-added |",
    );
  });

  it("exits 2 with a clear message for a missing argument, an unreadable file, non-JSON, a non-OpenAPI document and an http URL", async () => {
    const notJson = path.join(dir, "page.html");
    await writeFile(notJson, "<html>moved</html>");
    const notOpenApi = path.join(dir, "other.json");
    await writeFile(notOpenApi, JSON.stringify({ swagger: "2.0", paths: {} }));
    const cases: Array<[string[], RegExp]> = [
      [[], /name Auth0's document/],
      [[path.join(dir, "absent.json")], /cannot read .*absent\.json: ENOENT/],
      [[notJson], /is not JSON/],
      [[notOpenApi], /is not an OpenAPI 3 document/],
      [["http://auth0.com/docs/oas/management/v2/management-api-oas.json"], /only https URLs are read, not http/],
      [[OFFICIAL_FIXTURE, "extra"], /unexpected argument 'extra'/],
    ];
    for (const [args, message] of cases) {
      const result = await runInProcess(officialDiffCommand, args);
      expect(result.stderr, args.join(" ")).toMatch(new RegExp(`^official-diff: .*${message.source}`));
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(result.code, args.join(" ")).toBe(2);
    }
    // One of them as a process, the way a user meets it.
    const process = await run(NPM, ["run", "--silent", "official-diff", "--", notJson]);
    expect(process.code).toBe(2);
    expect(process.stderr).toContain("official-diff: ");
  });

  it("is also the contract command's official-diff subcommand", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await contractMain(["official-diff", mutated], {}, { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, "auth0-contract");
    expect(code).toBe(1);
    expect(out.join("\n")).toContain("organization_member_access_level");
    const usage: string[] = [];
    expect(await contractMain(["official-diff"], {}, { out: () => undefined, err: (t: string) => usage.push(t) }, "auth0-contract")).toBe(2);
    expect(usage.join("\n")).toContain("Usage: auth0-contract official-diff <document>");
  });
});

describe("reading the document", () => {
  const limits = (fetch: typeof globalThis.fetch, overrides: { maxBytes?: number; timeoutMs?: number } = {}) => ({
    maxBytes: 1024,
    timeoutMs: 2_000,
    fetch,
    ...overrides,
  });
  const document = JSON.stringify({ openapi: "3.1.0", paths: {} });

  it("fetches an https URL", async () => {
    const fetched = await readOfficialDocument(
      "https://auth0.example/oas.json",
      limits(async () => new Response(document, { status: 200 })),
    );
    expect(fetched.document.openapi).toBe("3.1.0");
  });

  it("stops a document over the size limit, whether announced or streamed, and a file over it", async () => {
    const big = "x".repeat(2048);
    await expect(
      readOfficialDocument(
        "https://auth0.example/oas.json",
        limits(async () => new Response(big, { headers: { "content-length": "2048" } })),
      ),
    ).rejects.toThrow(/more than the/);
    const stream = new ReadableStream({ pull: (controller) => controller.enqueue(new TextEncoder().encode(big)) }); // never ends by itself
    await expect(
      readOfficialDocument(
        "https://auth0.example/oas.json",
        limits(async () => new Response(stream)),
      ),
    ).rejects.toThrow(/more than the/);
    await expect(readOfficialDocument(OFFICIAL_FIXTURE, { maxBytes: 1024, timeoutMs: 1_000 })).rejects.toThrow(OfficialDocumentError);
  });

  it("gives up on a server that does not answer in time, and reports an error status", async () => {
    const hanging: typeof globalThis.fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
    await expect(readOfficialDocument("https://auth0.example/oas.json", limits(hanging, { timeoutMs: 50 }))).rejects.toThrow(/did not arrive within 0\.05 s/);
    await expect(
      readOfficialDocument(
        "https://auth0.example/oas.json",
        limits(async () => new Response("gone", { status: 404, statusText: "Not Found" })),
      ),
    ).rejects.toThrow(/answered 404 Not Found/);
  });
});
