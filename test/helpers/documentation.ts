/**
 * The project's documentation, as the tests that hold it true read it: the README (what a newcomer reads first),
 * the pages under docs/ it links to, and each package's README (what npm shows for the package). A fact moved from
 * one of these to another stays checked.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "./project.js";

export const PACKAGE_NAMES = ["client", "emulator", "contract", "mock"] as const;

/** Every documentation file, relative to the project root. */
export function documentationFiles(): string[] {
  const pages = readdirSync(path.join(PROJECT_ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...pages, ...PACKAGE_NAMES.map((name) => `src/${name}/README.md`)];
}

export interface DocumentationFile {
  file: string;
  text: string;
}

export function readDocumentation(): DocumentationFile[] {
  return documentationFiles().map((file) => ({ file, text: readFileSync(path.join(PROJECT_ROOT, file), "utf8") }));
}
