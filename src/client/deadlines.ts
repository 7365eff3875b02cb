/**
 * The deadlines of one client's attempts, kept in a queue served by a single timer.
 *
 * Why not one `setTimeout` per attempt: every call starts a deadline and almost always cancels it a moment later,
 * and a Node timer set and cleared per call costs about 7% of a stubbed call (a timer object, its async-hooks
 * bookkeeping, and the timer list for that duration created and torn down each time). All of a client's
 * deadlines have the same length, so they fall due in the order they were started: a queue ordered by start,
 * a mark on cancel, and one timer for the oldest live entry do the same job.
 *
 * A client has one queue, and it is its only deadline mechanism: the transport's API attempts and the exchanges with
 * the token endpoint (send.ts) both start their deadlines here.
 */

/** What a deadline ends: told once, when its deadline passes (never after it was cancelled). */
export interface DeadlineTarget {
  onDeadline(): void;
}

export interface Deadline {
  /** When it falls due, on the `performance.now()` clock. */
  readonly due: number;
  /** Undefined once cancelled or expired. */
  target: DeadlineTarget | undefined;
}

export class DeadlineQueue {
  /** The length of every deadline: the client's `timeoutMs`. */
  readonly lengthMs: number;
  /** Deadlines in the order they fall due; cancelled ones stay until they reach the front. */
  readonly #queue: Deadline[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(lengthMs: number) {
    this.lengthMs = lengthMs;
  }

  /** Starts a deadline `lengthMs` from now; `target.onDeadline()` runs then unless it is cancelled first. */
  start(target: DeadlineTarget): Deadline {
    const deadline: Deadline = { due: performance.now() + this.lengthMs, target };
    this.#queue.push(deadline);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#expireDue(), this.lengthMs);
    } else if (this.#queue.length === 1) {
      // The timer was left running (unreferenced) for an earlier, cancelled deadline: it fires no later than
      // this one falls due, and it must keep the process alive again.
      this.#timer.ref();
    }
    return deadline;
  }

  cancel(deadline: Deadline): void {
    deadline.target = undefined;
    this.#dropSettled();
    // Nothing left to guard: the timer may run out, but must not keep the process alive. It is kept rather than
    // cleared so that the next call (usually a moment later) does not have to set a new one.
    if (this.#queue.length === 0) this.#timer?.unref();
  }

  #dropSettled(): void {
    while (this.#queue.length > 0 && this.#queue[0]?.target === undefined) this.#queue.shift();
  }

  #expireDue(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (let first = this.#queue[0]; first !== undefined && first.due <= now; first = this.#queue[0]) {
      this.#queue.shift();
      const { target } = first;
      first.target = undefined;
      if (target !== undefined) target.onDeadline();
    }
    this.#dropSettled();
    const next = this.#queue[0];
    // Timers may fire a fraction of a millisecond early by this clock: wait for the rest.
    if (next && this.#timer === undefined) this.#timer = setTimeout(() => this.#expireDue(), Math.max(1, Math.ceil(next.due - now)));
  }
}
