/**
 * Reads a JSON request body the way Auth0 accepts one: `application/json` only, at most 1 MB, well-formed.
 * Anything else is a 400 `invalid_body`, decided before any state is touched.
 */
import { ApiError } from "./responses.js";

/** Auth0's payload limit. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

const tooLarge = () => new ApiError(400, `Payload content length greater than maximum allowed: ${MAX_PAYLOAD_BYTES}`, "invalid_body");

/** The parsed body, or `null` when the request has none (the schema then reports what was expected). */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declaredLength = Number(request.headers.get("content-length") ?? "0");
  if (declaredLength > MAX_PAYLOAD_BYTES) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const text = await readCapped(request);
  if (text.trim() === "") return null;

  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new ApiError(400, `Payload validation error: 'Content-Type must be application/json, not ${contentType ? JSON.stringify(contentType) : "missing"}'.`, "invalid_body");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, "Invalid request payload JSON format", "invalid_body");
  }
}

/** Reads the body as UTF-8 text, giving up as soon as it passes the limit (a chunked body has no length header). */
async function readCapped(request: Request): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
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
