/**
 * The fetch the client sends with, and a deadline-bound exchange for the token endpoint: the request is sent and
 * its whole body read within the client's `timeoutMs` (a deadline from the client's one DeadlineQueue, the same the
 * transport's attempts use), so a server that stalls half way through a body cannot hang the caller either.
 * Buffering is cheap there (a token answer is a small JSON document). Management API calls do not go through
 * `createBufferedFetch`: the transport (transport.ts) keeps their deadline itself and hands a success answer on
 * as it came, without rebuilding it.
 */
import type { DeadlineQueue } from "./deadlines.js";

/**
 * A fetch the client can send with. The client calls it as `fetch(request, { signal })`, where `signal` is
 * `request.signal` (aborted when the attempt's deadline passes or the caller aborts): a function that passes both
 * on to the platform's fetch, or is the platform's fetch, stops the exchange when the signal aborts.
 */
export type FetchFunction = (request: Request, init?: { signal: AbortSignal }) => Promise<Response>;

// Answers with these statuses must not carry a body (the Response constructor refuses one).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** The error an exchange fails with when its deadline passes; what users see, so it names the request. */
export function timeoutError(request: Request, timeoutMs: number): DOMException {
  const { pathname } = new URL(request.url);
  return new DOMException(`${request.method} ${pathname} timed out after ${timeoutMs} ms`, "TimeoutError");
}

/** Settles with `promise`, or rejects with the signal's reason as soon as the signal aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The most of a buffered answer's body that is read, counted after decompression: an error answer or a token
 * answer is a small JSON document, and a server (or a gateway in between) that sends megabytes, or a small gzip
 * body that inflates to hundreds, must not fill the caller's memory. What is past the bound is not read.
 */
export const MAX_BUFFERED_BODY_BYTES = 2 * 1024 * 1024;

/** Reads at most `limit` bytes of a body (decoded as fetch delivers it) and cancels the rest. */
async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength >= limit) {
      chunks.push(value.subarray(0, limit - size));
      size = limit;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/**
 * Reads an answer's body, at most MAX_BUFFERED_BODY_BYTES of it (through `guard`, which bounds the wait), and returns
 * an equivalent Response that holds it. The body is then decoded and complete, and described as such: openapi-fetch
 * reads Content-Length to tell an empty answer (`error: undefined`) from one with a body.
 */
export async function bufferResponse(response: Response, guard: <T>(promise: Promise<T>) => Promise<T>): Promise<Response> {
  const body = NULL_BODY_STATUSES.has(response.status) || response.body === null ? null : await guard(readAtMost(response.body, MAX_BUFFERED_BODY_BYTES));
  const headers = new Headers(response.headers);
  headers.delete("content-encoding");
  headers.set("content-length", String(body?.byteLength ?? 0));
  return new Response(body && body.byteLength > 0 ? body : null, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Returns a fetch that gives every exchange a deadline from `deadlines` and answers with a fully read Response. The
 * caller's own AbortSignal, when the request has one, still cancels it.
 */
export function createBufferedFetch(fetch: FetchFunction, deadlines: DeadlineQueue): FetchFunction {
  return async function bufferedFetch(request: Request): Promise<Response> {
    const deadline = new AbortController();
    const entry = deadlines.start({ onDeadline: () => deadline.abort(timeoutError(request, deadlines.lengthMs)) });
    const signal = AbortSignal.any([request.signal, deadline.signal]);
    try {
      // The race matters for fetch implementations that ignore the signal: the caller is released all the same.
      const response = await abortable(fetch(new Request(request, { signal }), { signal }), signal);
      return await bufferResponse(response, (promise) => abortable(promise, signal));
    } finally {
      deadlines.cancel(entry);
    }
  };
}
