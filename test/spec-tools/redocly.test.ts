/**
 * `npm run lint` runs Redocly through our wrapper: on Node 20 the CLI's end-of-life banner is gone, and nothing
 * else it prints is lost (its other boxes, its findings, its exit code).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createBannerFilter, NODE_20_BANNER_MARKER, withoutNodeBanner } from "../../src/spec-tools/redocly.js";
import { PROJECT_ROOT, run } from "../helpers/project.js";

const box = (...lines: string[]) => ["    ╔══════════╗", ...lines.map((l) => `    ║  ${l}  ║`), "    ╚══════════╝"].map((l) => `${l}\n`).join("");
const banner = box("", `Deprecation warning: ${NODE_20_BANNER_MARKER}`, "", "Node.js 20 reached end-of-life on April 30, 2026.", "");

describe("the Node 20 banner filter", () => {
  it("drops the banner and the blank line before it, and keeps everything around it", () => {
    expect(withoutNodeBanner(`\n${banner}validating openapi.yaml...\n\nWoohoo!\n`)).toBe("validating openapi.yaml...\n\nWoohoo!\n");
  });

  it("keeps any other box, and the blank lines that are not the banner's", () => {
    const other = box("A new version of Redocly CLI is available");
    expect(withoutNodeBanner(`first\n\n${other}\n\nlast`)).toBe(`first\n\n${other}\n\nlast`);
  });

  it("works on output that arrives in arbitrary pieces, and flushes an unfinished box at the end", () => {
    const text = `\n${banner}error: something\n${"    ╔══╗\n    ║ cut"}`;
    let out = "";
    const filter = createBannerFilter((t) => (out += t));
    for (let i = 0; i < text.length; i += 7) filter.push(text.slice(i, i + 7));
    filter.end();
    expect(out).toBe("error: something\n    ╔══╗\n    ║ cut");
  });
});

describe("npm run lint", () => {
  const lint = (args: string[]) =>
    run(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "scripts", "redocly.ts"), "lint", ...args], { timeoutMs: 120_000 });

  // Its passing run over the whole spec (Redocly's own result, no banner) is test/spec/lint.test.ts: one lint serves both.

  it("keeps Redocly's findings and its failing exit code", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "aoct-redocly-"));
    try {
      const broken = path.join(dir, "broken.yaml");
      await writeFile(broken, "openapi: 3.1.0\ninfo:\n  title: broken\npaths: {}\n");
      const result = await lint([broken]);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toMatch(/version/); // info.version is required
      expect(result.stderr).not.toContain(NODE_20_BANNER_MARKER);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
