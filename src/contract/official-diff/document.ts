/**
 * Reads Auth0's published Management API document (`management-api-oas.json`) from a file or an https URL, within
 * a size and a time limit, and checks that it is an OpenAPI 3 JSON document. Every failure is an
 * OfficialDocumentError: a usage error (exit 2) that says what was wrong with the source, never a stack trace.
 */
import { open } from "node:fs/promises";
import { UsageError } from "../../shared/command-line.js";

export class OfficialDocumentError extends UsageError {}

export interface ReadLimits {
  /** Bytes the document may have at most (Auth0's is ~4–7 MB in 2026). */
  maxBytes: number;
  /** How long fetching a URL may take in all, headers and body. */
  timeoutMs: number;
  /** The fetch to use for URLs (tests pass their own). */
  fetch?: typeof globalThis.fetch;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxBytes: 64 * 1024 * 1024, timeoutMs: 60_000 };

/** The parsed document, with a label for messages (the file or the URL as given). */
export interface OfficialDocument {
  source: string;
  document: Record<string, unknown>;
}

const URL_LIKE = /^[a-z][a-z\d+.-]*:\/\//i;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

export async function readOfficialDocument(source: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<OfficialDocument> {
  const text = URL_LIKE.test(source) ? await readUrl(source, limits) : await readFileLimited(source, limits.maxBytes);
  return { source, document: parseDocument(text, source) };
}

async function readFileLimited(file: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new OfficialDocumentError(`cannot read ${file}: ${(error as { code?: string }).code ?? (error as Error).message}`);
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes)
      throw new OfficialDocumentError(`${file} has ${size} bytes, more than the ${megabytes(maxBytes)} a Management API document is allowed`);
    return await handle.readFile("utf8");
  } catch (error) {
    if (error instanceof OfficialDocumentError) throw error;
    throw new OfficialDocumentError(`cannot read ${file}: ${(error as { code?: string }).code ?? (error as Error).message}`);
  } finally {
    await handle.close();
  }
}

/** Only https: the document decides what counts as "nothing new", so it must not be open to tampering in transit. */
async function readUrl(source: string, limits: ReadLimits): Promise<string> {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new OfficialDocumentError(`${source} is not a valid URL`);
  }
  if (url.protocol !== "https:") throw new OfficialDocumentError(`only https URLs are read, not ${url.protocol.slice(0, -1)}: ${source}`);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const fetchImpl = limits.fetch ?? globalThis.fetch;
  try {
    const response = await fetchImpl(url, { signal, redirect: "follow", headers: { accept: "application/json" } });
    if (response.url && !response.url.startsWith("https:")) throw new OfficialDocumentError(`${source} redirected to a URL that is not https`);
    if (!response.ok) throw new OfficialDocumentError(`${source} answered ${response.status} ${response.statusText}`.trimEnd());
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > limits.maxBytes) throw new OfficialDocumentError(`${source} is ${declared} bytes, more than the ${megabytes(limits.maxBytes)} allowed`);
    return await readBodyLimited(response, source, limits.maxBytes);
  } catch (error) {
    if (error instanceof OfficialDocumentError) throw error;
    if (signal.aborted) throw new OfficialDocumentError(`${source} did not arrive within ${limits.timeoutMs / 1000} s`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new OfficialDocumentError(`cannot fetch ${source}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
}

/** The body as text, stopping (and cancelling the download) as soon as it passes `maxBytes`. */
async function readBodyLimited(response: Response, source: string, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw new OfficialDocumentError(`${source} is more than the ${megabytes(maxBytes)} allowed`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseDocument(text: string, source: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new OfficialDocumentError(`${source} is not JSON (${(error as Error).message}); Auth0 publishes its document as JSON`);
  }
  const doc = document as Record<string, unknown> | null;
  if (!doc || typeof doc !== "object" || Array.isArray(doc) || typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.")) {
    throw new OfficialDocumentError(`${source} is not an OpenAPI 3 document (no "openapi": "3.x")`);
  }
  if (!doc.paths || typeof doc.paths !== "object" || Array.isArray(doc.paths)) throw new OfficialDocumentError(`${source} has no paths`);
  return doc;
}
