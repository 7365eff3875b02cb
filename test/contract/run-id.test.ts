/**
 * Run ids carry their start time, so that `--cleanup --older-than` can tell a lost run's age from its resources'
 * names alone; ids in the earlier random-only format are still accepted but have no age. Durations as the flag takes them.
 */
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/contract/duration.js";
import { newRunId, RUN_ID, runNamePrefix, runStartedAt, timedRunIdOfName } from "../../src/contract/run-id.js";

describe("run ids", () => {
  it("start with the run's start time, to the second, and differ between runs started in the same second", () => {
    const now = Date.parse("2026-11-30T10:00:00.750Z");
    const ids = new Set(Array.from({ length: 50 }, () => newRunId(now)));
    expect(ids.size).toBe(50);
    for (const id of ids) {
      expect(id).toMatch(RUN_ID);
      expect(runStartedAt(id)?.toISOString()).toBe("2026-11-30T10:00:00.000Z");
    }
  });

  it("read the run from a resource name only when its id carries the time", () => {
    const id = newRunId();
    expect(timedRunIdOfName(`${runNamePrefix(id)}org`)).toBe(id);
    expect(timedRunIdOfName("contract-test-0badc0de-org")).toBeUndefined();
    expect(runStartedAt("0badc0de")).toBeUndefined();
    expect("0badc0de").toMatch(RUN_ID);
    expect(timedRunIdOfName(`users-${runNamePrefix(id)}org`)).toBeUndefined();
  });
});

describe("--older-than durations", () => {
  it("take a whole number and a unit", () => {
    expect(parseDuration("0s")).toBe(0);
    expect(parseDuration("90m")).toBe(5_400_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("7d")).toBe(604_800_000);
    for (const bad of ["90", "1.5h", "-1h", "h", "2 weeks"]) expect(parseDuration(bad), bad).toBeUndefined();
    expect(formatDuration(5_400_000)).toBe("90m");
    expect(formatDuration(0)).toBe("0s");
  });
});
