/**
 * Path parameters are percent-encoded (as openapi-fetch's default serializer does), so `../../users` becomes one
 * harmless segment (`..%2F..%2Fusers`). Three values survive encoding unchanged yet still escape their place in
 * the URL: `.` and `..` (URL parsers resolve them as dot segments) and the empty string (which changes the path's
 * shape). They are refused before anything is sent, as are missing values and values that are neither strings nor
 * numbers.
 *
 * Every call serializes its path, so the template is split into literal text and parameter names once and
 * remembered (the client's paths are a small, fixed set), instead of being searched with regular expressions on
 * every call.
 */
import type { PathSerializer } from "openapi-fetch";

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** A path template split at its placeholders: `texts` has one more entry than `names`. */
interface ParsedTemplate {
  texts: string[];
  names: string[];
}

// Bounded, so a program that builds templates at run time cannot grow it without limit.
const MAX_CACHED_TEMPLATES = 256;
const templates = new Map<string, ParsedTemplate>();

function parseTemplate(template: string): ParsedTemplate {
  let parsed = templates.get(template);
  if (parsed) return parsed;
  parsed = { texts: [], names: [] };
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    parsed.texts.push(template.slice(last, match.index));
    parsed.names.push(match[1] ?? "");
    last = match.index + match[0].length;
  }
  parsed.texts.push(template.slice(last));
  if (templates.size < MAX_CACHED_TEMPLATES) templates.set(template, parsed);
  return parsed;
}

function checkedValue(name: string, value: unknown): string {
  if (value === undefined || value === null) throw new TypeError(`Path parameter "${name}" is missing.`);
  if (typeof value !== "string" && typeof value !== "number") throw new TypeError(`Path parameter "${name}" must be a string or a number.`);
  const text = String(value);
  if (text === "" || text === "." || text === "..") {
    throw new TypeError(`Path parameter "${name}" may not be ${JSON.stringify(text)}: it would change which resource the URL names.`);
  }
  return text;
}

export const safePathSerializer: PathSerializer = (pathname, pathParams) => {
  const { texts, names } = parseTemplate(pathname);
  let url = texts[0] ?? "";
  for (let i = 0; i < names.length; i += 1) {
    const name = names[i] ?? "";
    url += encodeURIComponent(checkedValue(name, pathParams[name])) + (texts[i + 1] ?? "");
  }
  return url;
};
