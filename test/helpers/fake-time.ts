/**
 * Runs async work in simulated time: Date and timers are faked, and whenever the work has nothing left to do but
 * wait for a timer, the clock jumps to that timer. A client paced by a bucket that refills 50 times a minute then
 * pages through a thousand requests in seconds. setImmediate and process.nextTick stay real, so the work's own
 * I/O (WebCrypto, in-process fetch) finishes before the clock moves.
 */
import { vi } from "vitest";

export async function inFakeTime<T>(
  work: () => Promise<T>,
  options: { startMs?: number; maxSimulatedMs?: number } = {},
): Promise<{ result: T; simulatedMs: number }> {
  // By default the start of the current second: where in a second the work starts changes how whole-second rate-limit
  // resets fall, so a start left to the wall clock would make a result depend on chance.
  vi.useFakeTimers({
    now: options.startMs ?? Math.floor(Date.now() / 1_000) * 1_000,
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
  const start = Date.now();
  try {
    let settled = false;
    const running = work().finally(() => (settled = true));
    running.catch(() => {});
    while (!settled) {
      // Let everything that can run without time passing run (a few turns of the real event loop).
      for (let turn = 0; turn < 20 && !settled; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      if (settled) break;
      if (vi.getTimerCount() > 0) vi.advanceTimersToNextTimer();
      if (Date.now() - start > (options.maxSimulatedMs ?? 24 * 3_600_000)) throw new Error("the work did not finish within the simulated time allowed");
    }
    return { result: await running, simulatedMs: Date.now() - start };
  } finally {
    vi.useRealTimers();
  }
}
