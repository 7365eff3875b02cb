/**
 * The journal of created resources: safe with several runs writing at once (one file per run), private (0600), and
 * never tricked by a symlink — neither a planted one where a run's file goes nor a journal directory that is one.
 */
import { execFile } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../../src/contract/cli.js";
import { Journal, leftoverJournals } from "../../src/contract/journal.js";
import { PROJECT_ROOT } from "../helpers/project.js";
import { collectLog, useTempDir } from "./helpers.js";

const execFileAsync = promisify(execFile);
const TARGET = "http://127.0.0.1:1/api/v2";

describe("the contract journal", () => {
  const tempDir = useTempDir("contract-journal-");

  it("loses no entry when several processes journal at once", async () => {
    const journalDir = path.join(tempDir(), "concurrent");
    const script = `
      import { Journal } from ${JSON.stringify(path.join(PROJECT_ROOT, "src/contract/journal.ts"))};
      const journal = new Journal(process.argv[1], process.argv[2], ${JSON.stringify(TARGET)});
      for (let i = 0; i < 300; i++) journal.record({ kind: "organization", id: "org_" + process.argv[2] + i, name: "contract-test-" + process.argv[2] + "-" + i });
    `;
    const runIds = ["0000000a", "0000000b", "0000000c", "0000000d"];
    await Promise.all(
      runIds.map((runId) =>
        execFileAsync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script, journalDir, runId], { cwd: PROJECT_ROOT }),
      ),
    );
    const journals = leftoverJournals(journalDir, TARGET);
    expect(journals.map((j) => j.runId).sort()).toEqual(runIds);
    for (const journal of journals) expect(journal.pending()).toHaveLength(300);
  }, 60_000);

  it("creates each run's file readable by its owner only", () => {
    const journalDir = path.join(tempDir(), "private");
    new Journal(journalDir, "0000abcd", TARGET).record({ kind: "connection", id: "con_1", name: "contract-test-0000abcd-x" });
    expect(statSync(path.join(journalDir, "0000abcd.json")).mode & 0o777).toBe(0o600);
  });

  it("never writes through a symlink planted where a run's file goes", () => {
    const journalDir = path.join(tempDir(), "planted");
    mkdirSync(journalDir);
    const victim = path.join(tempDir(), "victim.txt");
    writeFileSync(victim, "precious\n");
    symlinkSync(victim, path.join(journalDir, "0000beef.json"));
    const journal = new Journal(journalDir, "0000beef", TARGET);
    journal.record({ kind: "organization", id: "org_1", name: "contract-test-0000beef-org" });
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(lstatSync(path.join(journalDir, "0000beef.json")).isSymbolicLink()).toBe(false);
    journal.forget({ kind: "organization", id: "org_1" });
    expect(existsSync(victim)).toBe(true);
  });

  it("ignores a run file that is a symlink when looking for leftovers", () => {
    const journalDir = path.join(tempDir(), "linked-run");
    mkdirSync(journalDir);
    const elsewhere = path.join(tempDir(), "elsewhere.json");
    writeFileSync(
      elsewhere,
      JSON.stringify({ version: 2, runId: "0000cafe", target: TARGET, startedAt: "", created: [{ kind: "organization", id: "org_x", name: "x" }] }),
    );
    symlinkSync(elsewhere, path.join(journalDir, "0000cafe.json"));
    expect(leftoverJournals(journalDir, TARGET)).toEqual([]);
  });

  it("refuses a journal directory that is a symlink, before any work (exit 2)", async () => {
    const real = path.join(tempDir(), "real-dir");
    mkdirSync(real);
    const link = path.join(tempDir(), "link-dir");
    symlinkSync(real, link);
    const output = collectLog();
    const code = await main(["--journal", link], {}, { out: output.log, err: output.log });
    expect(code).toBe(2);
    expect(output.text()).toContain(`refusing to use the journal directory ${link}: it is a symbolic link`);
  });
});
