/**
 * What makes every call authenticated and resilient. It is the `fetch` openapi-fetch sends with — one per call —
 * so it runs beneath all openapi-fetch middleware: a caller's `onRequest` sees the request before the token is
 * added (and its changes are repeated on every retry), and its `onResponse` sees the final answer after any
 * retries. For each call it
 * - adds the bearer token;
 * - gives every attempt a deadline (`timeoutMs`, fresh per attempt) that covers the answer and the reading of its
 *   body, and aborts the attempt's signal when it passes or when the caller aborts;
 * - decides whether an answer (or error) deserves another attempt — one token refresh after a 401
 *   `Invalid token.`, rate limits, transient server and network errors — waits, and sends again until it gets an
 *   answer to hand back or runs out of retries.
 *
 * The common case (one attempt, a success) is kept cheap, because every call pays for it: no copy of a request
 * without a body, no second Request, no combined AbortSignal, and the answer is handed on as it came (openapi-fetch
 * reads its body while the deadline still runs) instead of being buffered and rebuilt. (With openapi-fetch's
 * `parseAs: "stream"`, the deadline therefore ends when the stream is handed to the caller.)
 *
 * Reading order (the request path as a whole starts in client.ts): `createTransport` at the end, then
 * `Exchange.run` (one call) and `Exchange.#fetch`, the loop of its attempts — token, rate budget, `#attempt` under
 * a deadline from the client's DeadlineQueue, then keep the answer or plan a retry; the helpers follow in that order.
 */
import type { TokenSource } from "./auth.js";
import type { Deadline, DeadlineQueue, DeadlineTarget } from "./deadlines.js";
import { ExchangeRequest } from "./exchange-request.js";
import { type GivingUp, ManagementNetworkError } from "./errors.js";
import type { RateBudget } from "./rate-budget.js";
import { readRateLimit, type RateLimit } from "./rate-limit.js";
import type { ResolvedClientOptions } from "./options.js";
import { describeGivingUp, planRetry, retryAfterMs, type RetryEvent, type RetryStop } from "./retry-policy.js";
import { bufferResponse, timeoutError, type FetchFunction } from "./send.js";

export interface TransportOptions {
  /** The client's settings, checked once (the fetch to send attempts with, the retry policy, `onRetry`). */
  settings: ResolvedClientOptions;
  tokens: TokenSource;
  /** The client's deadlines (`settings.timeoutMs` long): each attempt gets a fresh one, answer body included. */
  deadlines: DeadlineQueue;
  /** Called with every answer received, retried or not, and the rate-limit figures it carried. */
  onAnswer: (request: Request, response: Response, rateLimit: RateLimit | undefined) => void;
  /** Called with the answer handed back when a retryable failure was not retried (any more), and why. */
  onGiveUp: (response: Response, givingUp: GivingUp) => void;
  /** The client's rate-limit budget, shared by all its calls; none when the caller's fetch paces them. */
  budget: RateBudget | undefined;
  /** Scrubs secrets from text for error messages. */
  redact: (text: string) => string;
}

/** What a call is started with: the parts of openapi-fetch's init that the transport uses. */
export interface CallInit {
  signal?: AbortSignal | null | undefined;
  /** A fetch for this call only (openapi-fetch's per-request option); the client's otherwise. */
  fetch?: FetchFunction | undefined;
}

export interface Transport {
  /**
   * Runs one client call. `start` must start openapi-fetch with the given fetch, which carries this call's
   * attempts; the returned promise also fails when the deadline passes while openapi-fetch reads the answer.
   */
  run<Result>(init: CallInit | undefined, start: (fetch: FetchFunction) => Promise<Result>, operation?: string): Promise<Result>;
}

type Outcome = { response: Response; error?: never } | { error: unknown; response?: never };

// Auth0's message for a token it does not (or no longer does) accept; other 401s (bad signature, wrong
// tenant) will not be cured by a fresh token.
const INVALID_TOKEN_MESSAGE = "Invalid token.";

function pathOf(request: Request): string {
  return new URL(request.url).pathname;
}

/**
 * The `init` the transport passes to fetch. Its `signal` is created only when a fetch reads it (a real fetch does,
 * a test double or a stub usually does not): on Node 20 every AbortSignal costs as much as a tenth of a stubbed call.
 */
class AttemptInit {
  readonly #controller: AbortController;
  constructor(controller: AbortController) {
    this.#controller = controller;
  }
  get signal(): AbortSignal {
    return this.#controller.signal;
  }
}

/**
 * The bookkeeping of one call: its attempts, their deadline, and the caller's signal.
 * (Written without per-call closures where it can: each one is an allocation on the path every call takes.)
 */
class Exchange implements DeadlineTarget {
  readonly #options: TransportOptions;
  readonly #send: FetchFunction;
  readonly #callerSignal: AbortSignal | undefined;
  #token = "";
  #tokenRefreshed = false;
  /** Repeats counted against `maxRetries` (a token refresh is not one of them). */
  #retries = 0;
  /** Every repeat, token refreshes included. */
  #repeats = 0;
  /** The request as the transport got it, for messages and events. */
  #request: Request | undefined;
  /** The current attempt's controller: aborted by its deadline or by the caller. */
  #controller: AbortController | undefined;
  #deadline: Deadline | undefined;
  /** What the transport is waiting for right now (an answer, a body, a pause before a retry), to interrupt it. */
  #waiting: { reject: (reason: unknown) => void } | undefined;
  /** Rejects the whole call: used once the answer is with openapi-fetch, which then reads its body. */
  #rejectCall: ((reason: unknown) => void) | undefined;
  #onCallerAbort: (() => void) | undefined;

  /** The operation (`GET /organizations/{id}`): which rate-limit buckets the call draws on. */
  readonly #operation: string | undefined;

  constructor(options: TransportOptions, init: CallInit | undefined, operation: string | undefined) {
    this.#options = options;
    this.#operation = operation;
    this.#send = init?.fetch ?? options.settings.fetch;
    this.#callerSignal = init?.signal ?? undefined;
  }

  run<Result>(start: (fetch: FetchFunction) => Promise<Result>): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#rejectCall = reject;
      if (this.#callerSignal) {
        this.#onCallerAbort = () => this.#abort(this.#callerSignal?.reason);
        this.#callerSignal.addEventListener("abort", this.#onCallerAbort, { once: true });
      }
      start((request) => this.#fetch(request)).then(
        (result) => {
          this.#finish();
          resolve(result);
        },
        (error: unknown) => {
          this.#finish();
          reject(error);
        },
      );
    });
  }

  /** The fetch openapi-fetch sends this call with (after all middleware). */
  async #fetch(request: Request): Promise<Response> {
    this.#request = request;
    // A body can be read only once: keep an untouched copy for repeats. A request without one is sent again as is.
    const pristine = request.body === null ? undefined : request.clone();
    let next = request;
    for (;;) {
      // No deadline while waiting for a token: the previous attempt's is over, the next one's starts with sending.
      this.#endAttempt();
      // A failure to get a token is not a network error of this request: let it surface as it is.
      await this.#authorize(next);
      // Queue for the client's rate-limit budget rather than send into a certain 429.
      const key = this.#operation ?? `${request.method} ${pathOf(request)}`;
      const ticket = this.#options.budget?.acquire(key, this.#options.settings.retry.maxDelayMs);
      if (ticket?.wait) {
        try {
          await this.#interruptible(ticket.wait);
        } catch (error) {
          ticket.cancel();
          throw error;
        }
      }
      const sentAt = Date.now();
      const outcome = await this.#attempt(next);
      const { response } = outcome;
      const rateLimit = response ? readRateLimit(response.headers) : undefined;
      this.#options.budget?.observe({ key, status: response?.status ?? 0, reading: rateLimit, sentAt, answeredAt: Date.now(), ...this.#retryAfter(response) });
      if (response) {
        this.#options.onAnswer(request, response, rateLimit);
        // The common case. The deadline keeps running while openapi-fetch reads the body.
        if (response.ok) return response;
        if (await this.#mustRefreshToken(response)) {
          this.#tokenRefreshed = true;
          this.#options.tokens.invalidate(this.#token);
          this.#report({ delayMs: 0, reason: "token_refresh", status: 401 });
          next = pristine?.clone() ?? request;
          continue;
        }
      }
      // The caller gave up: hand back what there is rather than trying again.
      const plan = this.#callerSignal?.aborted
        ? undefined
        : planRetry(this.#options.settings.retry, { method: request.method, retriesSoFar: this.#retries, ...outcome });
      if (!plan || "stop" in plan) {
        const givingUp = plan ? this.#givingUp(plan) : undefined;
        if (response) {
          if (givingUp) this.#options.onGiveUp(response, givingUp);
          return response;
        }
        this.#endAttempt();
        throw this.#failure(request, outcome.error, givingUp);
      }
      this.#retries += 1;
      this.#report({ delayMs: Math.round(plan.delayMs), reason: plan.reason, ...(response ? { status: response.status } : {}) });
      await this.#pause(plan.delayMs);
      next = pristine?.clone() ?? request;
    }
  }

  /** How long a 429 says to wait (`Retry-After`), for the budget. */
  #retryAfter(response: Response | undefined): { retryAfterMs?: number } {
    if (response?.status !== 429) return {};
    const wait = retryAfterMs(response.headers, Date.now());
    return wait === undefined ? {} : { retryAfterMs: wait };
  }

  /** How the call ended; undefined when retries were off (`maxRetries: 0`) and there is nothing to add. */
  #givingUp(stop: RetryStop): GivingUp | undefined {
    if (stop.stop === "retries_exhausted" && this.#options.settings.retry.maxRetries === 0) return undefined;
    const attempts = this.#repeats + 1;
    return { attempts, stoppedBecause: stop.stop, description: describeGivingUp(attempts, stop, this.#options.settings.retry) };
  }

  /**
   * The error a call without an answer fails with: the caller's own abort reason as it is; a timeout as a
   * TimeoutError (saying how many attempts when there were several); anything else, a fetch failure, wrapped in an
   * error naming the request, with the original as its cause.
   */
  #failure(request: Request, error: unknown, givingUp: GivingUp | undefined): unknown {
    if (this.#callerSignal?.aborted && error === this.#callerSignal.reason) return error;
    const attempts = this.#repeats + 1;
    if (error instanceof Error && error.name === "TimeoutError") {
      return givingUp && attempts > 1 ? new DOMException(`${error.message} (${givingUp.description})`, "TimeoutError") : error;
    }
    const { origin, pathname } = new URL(request.url);
    return new ManagementNetworkError({ method: request.method, url: origin + pathname, cause: error, attempts, givingUp, redact: this.#options.redact });
  }

  async #authorize(request: Request): Promise<void> {
    this.#token = await this.#options.tokens.getToken();
    request.headers.set("authorization", `Bearer ${this.#token}`);
  }

  /** Sends one attempt under a fresh deadline; resolves with its answer or its error, never rejects. */
  async #attempt(request: Request): Promise<Outcome> {
    this.#endAttempt();
    const controller = new AbortController();
    this.#controller = controller;
    if (this.#callerSignal?.aborted) return { error: this.#callerSignal.reason };
    this.#deadline = this.#options.deadlines.start(this);
    try {
      const response = await this.#interruptible(this.#send(this.#withSignal(request, controller), new AttemptInit(controller)));
      // A success is handed on as it came. An error answer is read here, under the deadline (so a stalled body
      // counts as a timeout of this attempt, which may be retried), and rebuilt with its real length: an empty
      // error body then reaches the caller as `error: undefined`, whatever the server said about its length.
      return { response: response.ok ? response : await bufferResponse(response, (read) => this.#interruptible(read)) };
    } catch (error) {
      return { error };
    }
  }

  /** The request to send, carrying the attempt's signal. */
  #withSignal(request: Request, controller: AbortController): Request {
    // The request openapi-fetch built (possibly changed in place by middleware): give it the signal directly.
    if (ExchangeRequest.isExchangeRequest(request)) {
      request.useAttempt(controller);
      return request;
    }
    // One built elsewhere (by caller middleware, or the copy of a body for a repeat): the standard way, keeping
    // whatever its own signal follows.
    return new Request(request, { signal: AbortSignal.any([request.signal, controller.signal]) });
  }

  /** Whether a 401 asks for a new token (the answer is buffered: its body is read from a copy). */
  async #mustRefreshToken(response: Response): Promise<boolean> {
    if (response.status !== 401 || !this.#options.tokens.canRefresh || this.#tokenRefreshed) return false;
    try {
      const body = (await response.clone().json()) as { message?: unknown };
      return body.message === INVALID_TOKEN_MESSAGE;
    } catch {
      return false;
    }
  }

  #report(event: Omit<RetryEvent, "method" | "path" | "retry">): void {
    this.#repeats += 1;
    const request = this.#request;
    const { onRetry } = this.#options.settings;
    if (!request || !onRetry) return;
    onRetry({ method: request.method, path: pathOf(request), retry: this.#repeats, ...event });
  }

  /** Waits before a retry; the caller's abort ends the wait at once. */
  #pause(ms: number): Promise<void> {
    this.#endAttempt();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const paused = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    return this.#interruptible(paused).finally(() => clearTimeout(timer));
  }

  /** Settles with `promise`, or rejects as soon as the deadline passes or the caller aborts. */
  #interruptible<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Only the latest wait may be interrupted: an abandoned attempt that settles late must not release a newer one.
      const waiting = { reject };
      this.#waiting = waiting;
      promise.then(
        (value) => {
          if (this.#waiting === waiting) this.#waiting = undefined;
          resolve(value);
        },
        (error: unknown) => {
          if (this.#waiting === waiting) this.#waiting = undefined;
          reject(error);
        },
      );
    });
  }

  /** Aborts the current attempt and interrupts what is awaited now — or, once the answer is with openapi-fetch, the call. */
  #abort(reason: unknown): void {
    this.#controller?.abort(reason);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) {
      waiting.reject(reason);
    } else {
      this.#finish();
      this.#rejectCall?.(reason);
    }
  }

  /** The deadline of the current attempt has passed (called by the DeadlineQueue). */
  onDeadline(): void {
    this.#deadline = undefined;
    this.#abort(timeoutError(this.#request as Request, this.#options.deadlines.lengthMs));
  }

  /** Stops the current attempt's deadline (its signal stays as it is: the answer may still be in use). */
  #endAttempt(): void {
    if (this.#deadline !== undefined) this.#options.deadlines.cancel(this.#deadline);
    this.#deadline = undefined;
  }

  #finish(): void {
    this.#endAttempt();
    if (this.#onCallerAbort) this.#callerSignal?.removeEventListener("abort", this.#onCallerAbort);
  }
}

export function createTransport(options: TransportOptions): Transport {
  return {
    run: (init, start, operation) => new Exchange(options, init, operation).run(start),
  };
}
