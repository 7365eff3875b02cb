/**
 * The Request class the client hands openapi-fetch (its `Request` option). It differs from the platform's in one
 * way: the transport can give it the AbortSignal of the current attempt, which `request.signal` then returns.
 *
 * Why: each attempt needs a signal that its deadline (or the caller) can abort, so that the fetch sending it
 * stops too. The standard way, `new Request(request, { signal })`, builds a second Request, and the platform's
 * Request makes its signal follow the given one with a WeakRef, a FinalizationRegistry entry and an event
 * listener per object — on Node 20 that alone costs about a quarter of a stubbed call. Swapping the signal on the
 * request openapi-fetch already built costs nothing. A fetch that copies the request (the platform fetch does)
 * reads the copy's signal from the request's internal state, not from this getter, so the transport also passes
 * the signal as `fetch(request, { signal })`.
 */
export class ExchangeRequest extends Request {
  #attempt: AbortController | undefined;

  /**
   * openapi-fetch checks what an `onRequest` middleware returns with `instanceof` against the Request class it
   * was given — this one. A middleware that returns a plain `new Request(...)` is right to do so; let it pass.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Request;
  }

  /** Whether `request` was built by this class (and so takes an attempt's signal without being copied). */
  static isExchangeRequest(request: Request): request is ExchangeRequest {
    return #attempt in request;
  }

  /** Until an attempt starts: the request's own signal (which follows the caller's `signal`, if one was given). */
  override get signal(): AbortSignal {
    // The attempt's signal is created on first use: most test doubles never ask for it.
    return this.#attempt ? this.#attempt.signal : super.signal;
  }

  /** Makes `signal` the current attempt's, which its deadline or the caller aborts. */
  useAttempt(controller: AbortController): void {
    this.#attempt = controller;
  }
}
