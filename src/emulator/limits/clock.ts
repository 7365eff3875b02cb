/**
 * The emulator's clock: the machine's time plus an offset that tests move forward, so that a bucket refilling 60
 * times a minute can be checked without waiting a minute (`emulator.clock.advance(60_000)` or
 * `POST /__emulator/clock {"advanceMs": 60000}`). Only the rate limits read it; tokens keep their real expiry.
 */
export interface EmulatorClock {
  /** The emulator's time in epoch ms. */
  now(): number;
  /** Moves the emulator's time forward (never back: a bucket cannot un-refill). */
  advance(ms: number): void;
  /** How far ahead of the machine's clock the emulator runs, in ms. */
  readonly offsetMs: number;
}

/** A movable clock over `Date.now` (read on every call, so test runners that fake `Date` move it too). */
export function createClock(): EmulatorClock {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advance(ms: number) {
      if (!(typeof ms === "number" && Number.isFinite(ms) && ms >= 0))
        throw new RangeError("the clock moves forward only: advanceMs must be a number of 0 or more");
      offsetMs += ms;
    },
    get offsetMs() {
      return offsetMs;
    },
  };
}
