/**
 * One HTTP exchange with a deadline: the request is sent and its whole body read within `timeoutMs`, so a
 * server that stalls half way through a body cannot hang the caller either. Buffering is cheap here (the
 * Management API answers with small JSON documents) and lets the retry logic read an answer and still hand it on.
 */
export type FetchFunction = (request: Request) => Promise<Response>;

// Answers with these statuses must not carry a body (the Response constructor refuses one).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function timeoutError(request: Request, timeoutMs: number): DOMException {
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
        reject(error as Error);
      },
    );
  });
}

/**
 * Returns a fetch that gives every exchange `timeoutMs` (none when undefined) and answers with a fully read
 * Response. The caller's own AbortSignal, when the request has one, still cancels it.
 */
export function createTimedFetch(fetch: FetchFunction, timeoutMs: number | undefined): FetchFunction {
  return async function timedFetch(request: Request): Promise<Response> {
    const deadline = new AbortController();
    const timer =
      timeoutMs === undefined ? undefined : setTimeout(() => deadline.abort(timeoutError(request, timeoutMs)), timeoutMs);
    const signal = AbortSignal.any([request.signal, deadline.signal]);
    try {
      // The race matters for fetch implementations that ignore the signal: the caller is released all the same.
      const response = await abortable(fetch(new Request(request, { signal })), signal);
      const body = NULL_BODY_STATUSES.has(response.status) ? null : await abortable(response.arrayBuffer(), signal);
      // The body is now decoded and complete: describe it as such (openapi-fetch reads Content-Length to tell an
      // empty answer from one with a body).
      const headers = new Headers(response.headers);
      headers.delete("content-encoding");
      headers.set("content-length", String(body?.byteLength ?? 0));
      return new Response(body && body.byteLength > 0 ? body : null, { status: response.status, statusText: response.statusText, headers });
    } finally {
      clearTimeout(timer);
    }
  };
}
