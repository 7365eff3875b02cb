/**
 * Which rate limits an emulator applies, from its options: `limits` (a preset such as `free` or `enterprise`, or a
 * shape of one's own — see limits/), `rateLimit` (the older shorthand: one tenant bucket of `limit` requests that
 * refills `limit` per `windowMs`), or neither (generous limits that tests and benchmarks never meet). `rateLimit:
 * false` keeps the headers but never refuses. The options are resolved here, once, into the buckets' figures;
 * limits/limiter.ts only applies what it is handed.
 */
import type { EmulatorClock } from "./limits/clock.js";
import { DEFAULT_LIMITS, type LimiterSettings, type LimitsOption, TenantLimiter } from "./limits/limiter.js";
import { isLimitPreset, LIMIT_PRESETS, presetShape } from "./limits/presets.js";
import { type LimitsShape, type ResolvedLimits, resolveLimits } from "./limits/shape.js";
import type { RateLimitOptions } from "./types.js";
import { ApiError, invalidBody } from "./errors.js";

export { TenantLimiter as RateLimiter, type RateLimitDecision, type LimitsOption, type LimitsState } from "./limits/limiter.js";

/** The shorthand's default: 100,000 requests per second (a bucket that is full again within a second, like Auth0's). */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 100_000, windowMs: 1_000 };

/** `rateLimit: { limit, windowMs }` as one tenant bucket. */
export function shorthandLimits(rateLimit: RateLimitOptions): LimitsShape {
  if (!(Number.isInteger(rateLimit.limit) && rateLimit.limit >= 1 && Number.isInteger(rateLimit.windowMs) && rateLimit.windowMs > 0)) {
    throw new TypeError("rateLimit needs a whole-number limit of 1 or more and a whole positive windowMs");
  }
  return { tenant: { burst: rateLimit.limit, rate: `${rateLimit.limit}/${rateLimit.windowMs}ms` } };
}

/** A limits option checked and resolved against the spec (an ApiError 400 says what is wrong). */
function resolveLimitsOption(option: LimitsOption): ResolvedLimits & { preset?: string } {
  if (typeof option === "string") {
    // Read as a plain string: a caller in plain JavaScript (or JSON) can send any name.
    const name: string = option;
    if (!isLimitPreset(name)) {
      throw invalidBody(`unknown limits preset "${name}" (one of ${Object.keys(LIMIT_PRESETS).join(", ")}, or a shape of your own)`);
    }
    const preset = LIMIT_PRESETS[option];
    const shape = presetShape(option);
    return { ...resolveLimits(shape, { lenient: true, source: `${preset.page} (as of ${preset.pageDate})` }), preset: option };
  }
  return resolveLimits(option);
}

/** The limiter settings for an emulator's options; a bad setting is a TypeError that names it. */
export function limiterSettings(options: { limits?: LimitsOption; rateLimit?: RateLimitOptions | false }): LimiterSettings {
  if (options.limits !== undefined && options.rateLimit) throw new TypeError("use either limits or rateLimit, not both");
  const option: LimitsOption = options.limits ?? (options.rateLimit ? shorthandLimits(options.rateLimit) : DEFAULT_LIMITS);
  try {
    return { limits: resolveLimitsOption(option), enforced: options.rateLimit !== false };
  } catch (error) {
    if (error instanceof ApiError) throw new TypeError(error.message, { cause: error });
    throw error;
  }
}

export function createLimiter(options: { limits?: LimitsOption; rateLimit?: RateLimitOptions | false }, clock: EmulatorClock): TenantLimiter {
  const settings = limiterSettings(options);
  return new TenantLimiter(settings, clock);
}
