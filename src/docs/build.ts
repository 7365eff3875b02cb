/**
 * Builds the published API reference: one self-contained HTML page rendered by Redoc through
 * `redocly build-docs --inlineBundle` from the bundled spec with a code sample per operation added
 * (samples.ts), with the Redoc options from `redocly.yaml`. The page must work from
 * a file or any static host with no network at all, so the build refuses to write a page that would load
 * a script, style, font or image from another host.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { loadBundledSpec, loadDereferencedSpec } from "../shared/spec.js";
import { specWithCodeSamples } from "./samples.js";
import { redoclyCliPath, withoutNodeBanner } from "../spec-tools/redocly.js";

/** The repository's root, or the package's `dist/` once built (where the build copies redocly.yaml and the template). */
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The Redocly CLI versions the page is built and tested with (the contract package's optional peer dependency). */
export const REDOCLY_CLI_RANGE = "~2.77.0";
/** `site/`, not `dist/`: `npm run build` starts by deleting `dist/`, and the page must survive a build. */
export const DEFAULT_DOCS_OUTPUT = path.join(PROJECT_ROOT, "site", "index.html");
/** Our page template: Redoc's default one plus a Content-Security-Policy that allows no other host. */
export const DOCS_TEMPLATE = path.join(PROJECT_ROOT, "src", "docs", "template.hbs");

export interface BuildDocsOptions {
  /** Where the page goes; `site/index.html` by default. */
  output?: string;
  /** The redocly config holding the Redoc options (`openapi:`). */
  configPath?: string;
  timeoutMs?: number;
}

export interface BuiltDocs {
  output: string;
  bytes: number;
}

export async function buildDocs(options: BuildDocsOptions = {}): Promise<BuiltDocs> {
  const output = path.resolve(options.output ?? DEFAULT_DOCS_OUTPUT);
  const configPath = path.resolve(options.configPath ?? path.join(PROJECT_ROOT, "redocly.yaml"));
  await mkdir(path.dirname(output), { recursive: true });
  // The page renders the bundled spec plus the code samples written from it (x-codeSamples), from a copy.
  const workDir = await mkdtemp(path.join(tmpdir(), "org-connections-docs-spec-"));
  const specFile = path.join(workDir, "openapi.json");
  await writeFile(specFile, JSON.stringify(specWithCodeSamples(loadBundledSpec(), loadDereferencedSpec())));
  let cli: string;
  try {
    cli = redoclyCliPath();
  } catch {
    throw new Error(`the docs are rendered by the Redocly CLI, which is not installed here: npm install --save-dev "@redocly/cli@${REDOCLY_CLI_RANGE}"`);
  }
  const args = [cli, "build-docs", specFile, "--config", configPath, "--inlineBundle", "--template", DOCS_TEMPLATE, "--output", output];
  try {
    await promisify(execFile)(process.execPath, args, {
      cwd: path.dirname(configPath),
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 16 * 1024 * 1024,
      // Telemetry off: the CLI would report the run to Redocly, and the page would carry a telemetry client.
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`redocly build-docs failed:\n${withoutNodeBanner(e.stderr ?? "").trim() || e.message}`, { cause: error });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  const html = inlineRedocLogo(await readFile(output, "utf8"));
  await writeFile(output, html);
  const external = findExternalResources(html);
  if (external.length > 0) {
    await rm(output, { force: true });
    throw new Error(`the built page would load from other hosts, so it was not kept:\n${external.map((r) => `- ${r}`).join("\n")}`);
  }
  if (!hasNoOtherHostPolicy(html)) {
    await rm(output, { force: true });
    throw new Error(`the built page lacks the Content-Security-Policy from ${path.relative(PROJECT_ROOT, DOCS_TEMPLATE)}, so it was not kept`);
  }
  return { output, bytes: Buffer.byteLength(html) };
}

/**
 * Redoc's sidebar footer ("API docs by" + logo) builds an <img> whose source is on Redocly's CDN, and no Redoc
 * option turns it off. Our policy blocks it, which leaves an empty image and a console error on every view. The
 * bundle's two logo URLs are replaced with an inline SVG wordmark, so the attribution stays and loads nothing.
 */
export const REDOC_LOGO_URLS = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];
const REDOC_WORDMARK = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16" viewBox="0 0 64 16"><text x="0" y="12.5" font-family="sans-serif" font-size="13" font-weight="600" fill="#0044D4">Redocly</text></svg>',
)}`;

export function inlineRedocLogo(html: string): string {
  return REDOC_LOGO_URLS.reduce((page, url) => page.replaceAll(url, REDOC_WORDMARK), html);
}

/** Absolute http(s) URLs and protocol-relative `//host` URLs point to another host; relative and data: ones do not. */
export function isOtherHostUrl(url: string): boolean {
  return /^\s*(https?:)?\/\//i.test(url);
}

/** Elements whose attributes make the browser fetch something as the page loads. */
const LOADING_ATTRIBUTES: Record<string, string[]> = {
  script: ["src"],
  link: ["href"],
  img: ["src", "srcset"],
  source: ["src", "srcset"],
  iframe: ["src"],
  frame: ["src"],
  embed: ["src"],
  object: ["data"],
  video: ["src", "poster"],
  audio: ["src"],
  track: ["src"],
  input: ["src"],
  image: ["href", "xlink:href"],
  use: ["href", "xlink:href"],
};

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(/([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attributes.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4] ?? "");
  }
  return attributes;
}

/** URLs that CSS text would fetch: `@import "..."`, `@import url(...)` and any `url(...)` (fonts, images). */
function cssUrls(css: string): string[] {
  const urls: string[] = [];
  for (const match of css.matchAll(/@import\s+(?:"([^"]*)"|'([^']*)')/gi)) urls.push(match[1] ?? match[2] ?? "");
  for (const match of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)/gi)) urls.push(match[1] ?? match[2] ?? match[3] ?? "");
  return urls;
}

/**
 * Every resource in the HTML that would be fetched from another host as the page loads: script/link/img/…
 * sources, and `@import`/`url()` in `<style>` blocks and `style` attributes. Links a reader may click
 * (`<a href>`) are not loads. Script bodies are skipped as raw text, as the HTML parser does; what an inline
 * script fetches at run time is the browser test's business and the page's Content-Security-Policy's.
 */
export function findExternalResources(html: string): string[] {
  const found: string[] = [];
  const tag = /<!--[\s\S]*?-->|<([a-zA-Z][a-zA-Z0-9:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;
  let match: RegExpExecArray | null;
  while ((match = tag.exec(html)) !== null) {
    const name = match[1]?.toLowerCase();
    if (!name) continue; // a comment
    const attributes = parseAttributes(match[2] ?? "");
    for (const attribute of LOADING_ATTRIBUTES[name] ?? []) {
      const value = attributes.get(attribute);
      if (value === undefined) continue;
      const urls = attribute === "srcset" ? value.split(",").map((candidate) => candidate.trim().split(/\s+/)[0] ?? "") : [value];
      for (const url of urls) if (isOtherHostUrl(url)) found.push(`<${name} ${attribute}="${url}">`);
    }
    const style = attributes.get("style");
    if (style) for (const url of cssUrls(style)) if (isOtherHostUrl(url)) found.push(`<${name} style> url(${url})`);

    if (name === "script" || name === "style") {
      // Raw-text elements: their content is not markup. Jump past the closing tag.
      const close = new RegExp(`</${name}\\s*>`, "ig");
      close.lastIndex = tag.lastIndex;
      const end = close.exec(html);
      const content = html.slice(tag.lastIndex, end ? end.index : html.length);
      if (name === "style") for (const url of cssUrls(content)) if (isOtherHostUrl(url)) found.push(`<style> ${url}`);
      tag.lastIndex = end ? close.lastIndex : html.length;
    }
  }
  return found;
}

/** True when the page carries a Content-Security-Policy meta tag whose `default-src` is `'none'`. */
export function hasNoOtherHostPolicy(html: string): boolean {
  const tag = /<meta\b((?:"[^"]*"|'[^']*'|[^'">])*)>/gi;
  for (const match of html.matchAll(tag)) {
    const attributes = parseAttributes(match[1] ?? "");
    if (attributes.get("http-equiv")?.toLowerCase() !== "content-security-policy") continue;
    const policy = attributes.get("content") ?? "";
    const directives = policy.split(";").map((d) => d.trim().split(/\s+/));
    const allowsHost = directives.some(([, ...sources]) => sources.some((s) => /^(https?:|\*|\/\/|[a-z0-9.-]+\.[a-z]{2,})/i.test(s)));
    if (directives.some(([name, value]) => name === "default-src" && value === "'none'") && !allowsHost) return true;
  }
  return false;
}
