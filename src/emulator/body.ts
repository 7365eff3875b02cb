/**
 * Request bodies the way Auth0 accepts them: `application/json` only, at most 1 MB, well-formed, nested at most
 * MAX_JSON_DEPTH levels. Anything else is a 400 `invalid_body`, decided before any state is touched. The transports
 * read the bytes (each with the same limit); parsing is shared.
 */
import { MAX_PAYLOAD_BYTES } from "../shared/payload-limit.js";
import { invalidBody } from "./errors.js";

export { MAX_PAYLOAD_BYTES };

/**
 * The deepest nesting of objects and arrays a body may have. Parsing is iterative, but copying, validating and
 * serializing a parsed value recurse once per level, and a few thousand levels (well under 1 MB) overflow the
 * stack. No request of the spec needs more than a handful of levels; 64 leaves room for free-form `options` and
 * `metadata`.
 */
export const MAX_JSON_DEPTH = 64;

/** The 400 for a body past MAX_PAYLOAD_BYTES (declared or as read). */
export const tooLarge = () => invalidBody(`Payload content length greater than maximum allowed: ${MAX_PAYLOAD_BYTES}`);

/** The 400 for a client that went away mid-body: not a fault of the emulator, and nobody is left to read the answer. */
export const clientClosed = () => invalidBody("The request body could not be read: the client closed the connection.");

/** Whether a `Content-Length` header already says the body is over the limit. */
export const declaredTooLarge = (contentLength: string | undefined) => Number(contentLength ?? "0") > MAX_PAYLOAD_BYTES;

/** The parsed body, or `null` when the request has none (the schema then reports what was expected). */
export function parseJsonBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === "") return null;
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? "")) {
    throw invalidBody(`Payload validation error: 'Content-Type must be application/json, not ${contentType ? JSON.stringify(contentType) : "missing"}'.`);
  }
  return parseJsonText(text);
}

/** JSON.parse, after checking the nesting depth; malformed or too deep text is a 400 `invalid_body`. */
export function parseJsonText(text: string): unknown {
  assertJsonDepth(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidBody("Invalid request payload JSON format");
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Throws when `text` nests objects/arrays deeper than MAX_JSON_DEPTH: one pass over the raw text, before anything
 * recursive touches it. Brackets inside strings do not count; malformed text is left for JSON.parse to refuse.
 */
export function assertJsonDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) throw invalidBody(`Payload validation error: 'JSON nested deeper than ${MAX_JSON_DEPTH} levels'.`);
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
}

/** Reads a web request's body as UTF-8 text, giving up as soon as it passes the limit (a chunked body has no length header). */
export async function readWebBody(request: Request): Promise<string> {
  if (declaredTooLarge(request.headers.get("content-length") ?? undefined)) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => {
      throw clientClosed();
    });
    if (done) break;
    size += value.byteLength;
    if (size > MAX_PAYLOAD_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
