/**
 * Whose journal directory a run trusts (issue 20): one owned by the user running and writable by nobody else. A
 * directory another user can write to lets that user delete a killed run's journal (the clean-up then finds
 * nothing while resources stay) or plant one; it is refused with a clear message, before any work. And a
 * directory the user made is the user's: a run never removes it, only one it made itself.
 */
import { chmodSync, chownSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/contract/cli.js";
import { Journal } from "../../src/contract/journal.js";
import { collectLog, useTempDir } from "./helpers.js";

const TARGET = "http://127.0.0.1:1/api/v2";
const RUN_ID = "65f0000000abcd";
const isRoot = process.getuid?.() === 0;

describe("the journal directory", () => {
  const tempDir = useTempDir("contract-journal-dir-");

  it.each([
    ["--cleanup", ["--cleanup", "--base-url", TARGET]],
    ["a run", []],
  ])("is refused by %s when others can write to it (exit 2, before any work)", async (_name, args) => {
    const shared = path.join(tempDir(), `shared-${args.length}`);
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const output = collectLog();
    const code = await main([...args, "--journal", shared], { AUTH0_TOKEN: "tK9vQ2xL7mP4wR8zN3bY6cJ1" }, { out: output.log, err: output.log });
    expect(code).toBe(2);
    expect(output.text()).toContain(`refusing to use the journal directory ${shared}: other users can write to it`);
  });

  // Making a directory another user owns takes root; as any other user the case cannot be set up.
  it.skipIf(!isRoot)("is refused when another user owns it, even if only its owner can write to it", async () => {
    const theirs = path.join(tempDir(), "theirs");
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, 65534, 65534);
    const output = collectLog();
    const code = await main(
      ["--cleanup", "--base-url", TARGET, "--journal", theirs],
      { AUTH0_TOKEN: "tK9vQ2xL7mP4wR8zN3bY6cJ1" },
      { out: output.log, err: output.log },
    );
    expect(code).toBe(2);
    expect(output.text()).toContain(`refusing to use the journal directory ${theirs}: it belongs to another user (uid 65534)`);
  });

  it("that the user made is kept once the run's file is gone", () => {
    const mine = path.join(tempDir(), "mine");
    mkdirSync(mine, { mode: 0o700 });
    const journal = new Journal(mine, RUN_ID, TARGET);
    journal.record({ kind: "organization", id: "org_1", name: "contract-test-x-org" });
    journal.forget({ kind: "organization", id: "org_1" });
    expect(existsSync(path.join(mine, `${RUN_ID}.json`))).toBe(false);
    expect(existsSync(mine)).toBe(true);
  });

  it("that the run made is removed with its last file", () => {
    const made = path.join(tempDir(), "made-by-the-run");
    const journal = new Journal(made, RUN_ID, TARGET);
    journal.record({ kind: "organization", id: "org_1", name: "contract-test-x-org" });
    expect(existsSync(made)).toBe(true);
    journal.forget({ kind: "organization", id: "org_1" });
    expect(existsSync(made)).toBe(false);
  });
});
