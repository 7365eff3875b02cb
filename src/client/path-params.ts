/**
 * Path parameters go through openapi-fetch's serializer, which percent-encodes them, so `../../users` becomes
 * one harmless segment (`..%2F..%2Fusers`). Three values survive encoding unchanged yet still escape their place
 * in the URL: `.` and `..` (URL parsers resolve them as dot segments) and the empty string (which changes the
 * path's shape). They are refused before anything is sent.
 */
import { defaultPathSerializer, type PathSerializer } from "openapi-fetch";

const PLACEHOLDER = /\{([^{}]+)\}/g;
const DOT_SEGMENT = /^\.{1,2}$/;

export const safePathSerializer: PathSerializer = (pathname, pathParams) => {
  for (const match of pathname.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? "";
    const value: unknown = pathParams[name];
    if (value === undefined || value === null) throw new TypeError(`Path parameter "${name}" is missing.`);
    const text = typeof value === "string" || typeof value === "number" ? String(value) : undefined;
    if (text === undefined) throw new TypeError(`Path parameter "${name}" must be a string or a number.`);
    if (text === "" || DOT_SEGMENT.test(text)) {
      throw new TypeError(`Path parameter "${name}" may not be ${JSON.stringify(text)}: it would change which resource the URL names.`);
    }
  }
  return defaultPathSerializer(pathname, pathParams);
};
