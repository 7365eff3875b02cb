/** Durations as `--older-than` takes them: a whole number and a unit (`0s`, `90m`, `2h`, `7d`). */
const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or undefined when the text is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  return match ? Number(match[1]) * UNITS[match[2]!]! : undefined;
}

/** The largest unit that states the duration exactly (`2h`, `90m`, `0s`). */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "m", "s"]) if (ms > 0 && ms % UNITS[unit]! === 0) return `${ms / UNITS[unit]!}${unit}`;
  return ms === 0 ? "0s" : `${ms}ms`;
}

/** A duration for people, to the second below two minutes and to the minute above: `45 s`, `12 min`. */
export function approximateDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
