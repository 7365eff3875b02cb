/**
 * Issue 24: the README is what a newcomer needs first, and the rest lives in docs/ and the packages' READMEs. These
 * tests hold that layout together: the README stays short and shows the commands CI runs, every page under docs/ is
 * reachable from it, and every relative link (to a file, an image or a heading) resolves, so a page renamed or a
 * heading reworded cannot leave a dead link behind.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDocumentation, type DocumentationFile } from "../helpers/documentation.js";
import { PROJECT_ROOT } from "../helpers/project.js";

const README_MAX_LINES = 250;

/** The text outside fenced code blocks and inline code spans: what renders as prose, links included. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The targets of inline links and images (`[text](target)`, `![alt](target)`), outside code. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, … */
function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The links of `doc` (relative to the project root) that do not resolve, each with the reason. */
function brokenLinks(doc: DocumentationFile, read: (file: string) => string | undefined): string[] {
  const broken: string[] = [];
  for (const target of linkTargets(doc.text)) {
    if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto: — not this repository's files
    const [file, anchor] = target.split("#") as [string, string | undefined];
    const resolved = file === "" ? doc.file : path.posix.normalize(path.posix.join(path.posix.dirname(doc.file), decodeURI(file)));
    const text = read(resolved);
    if (text === undefined) broken.push(`${doc.file}: ${target} (no file ${resolved})`);
    else if (anchor !== undefined && resolved.endsWith(".md") && !headingAnchors(text).has(anchor)) {
      broken.push(`${doc.file}: ${target} (no heading #${anchor} in ${resolved})`);
    }
  }
  return broken;
}

const readProjectFile = (file: string) => {
  const full = path.join(PROJECT_ROOT, file);
  return existsSync(full) ? readFileSync(full, "utf8") : undefined;
};

describe("the documentation's layout", () => {
  const docs = readDocumentation();
  const readme = docs.find((doc) => doc.file === "README.md")!;

  it(`keeps the README to ${README_MAX_LINES} lines`, () => {
    expect(readme.text.trimEnd().split("\n").length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it("shows in the README the commands .ci/run runs on a fresh machine", () => {
    const ci = readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8");
    for (const command of ["npm ci", "npm test", "npm run test:long"]) {
      expect(ci, command).toMatch(new RegExp(`^\\s*${command}\\b`, "m"));
      expect(readme.text, command).toContain(command);
    }
  });

  it("links every page under docs/ and every package's README from the README", () => {
    const linked = new Set(linkTargets(readme.text).map((target) => target.split("#")[0]));
    const unlinked = docs.filter((doc) => doc.file !== "README.md" && !linked.has(doc.file)).map((doc) => doc.file);
    expect(unlinked).toEqual([]);
  });

  it("has no relative link to a missing file or heading", () => {
    expect(docs.length).toBeGreaterThan(10);
    expect(docs.flatMap((doc) => brokenLinks(doc, readProjectFile))).toEqual([]);
  });

  it("finds broken links when there are some (the check itself works)", () => {
    const page: DocumentationFile = {
      file: "docs/page.md",
      text: [
        "# A page",
        "## Heading `with code`, and punctuation!",
        "[ok](#heading-with-code-and-punctuation) [ok](other.md#the-other) ![ok](shot.png) [ok](https://example.com/x)",
        "[missing file](gone.md) [missing heading](other.md#nowhere) [missing here](#a-pag)",
        "```sh",
        "echo [not a link](nowhere.md)",
        "```",
      ].join("\n"),
    };
    const files: Record<string, string> = { "docs/page.md": page.text, "docs/other.md": "# The other\n", "docs/shot.png": "" };
    expect(brokenLinks(page, (file) => files[file])).toEqual([
      "docs/page.md: gone.md (no file docs/gone.md)",
      "docs/page.md: other.md#nowhere (no heading #nowhere in docs/other.md)",
      "docs/page.md: #a-pag (no heading #a-pag in docs/page.md)",
    ]);
  });
});
