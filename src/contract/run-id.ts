/**
 * A contract run's id and the names it gives its resources (`contract-test-<run id>-<suffix>`).
 *
 * A run id is 14 hex digits: the run's start time in seconds since 1970 (8 digits), then 6 random ones. The time is
 * in the id so that a run's age can be read from the names of its resources alone — once its journal is lost with
 * the CI runner that held it, `--cleanup --older-than` finds those resources by listing the tenant. Ids of 8 random
 * hex digits (the format before the time was added) are still read from journals; they carry no age.
 */
import { randomBytes } from "node:crypto";

/** What every resource name of a contract run starts with. */
export const RUN_NAME_PREFIX = "contract-test-";

/** Either format: 14 hex digits with the start time, or the older 8 random ones. */
export const RUN_ID = /^(?:[0-9a-f]{14}|[0-9a-f]{8})$/;

const TIMED_NAME = new RegExp(`^${RUN_NAME_PREFIX}([0-9a-f]{14})-`);

export function newRunId(now: number = Date.now()): string {
  const seconds = Math.floor(now / 1000)
    .toString(16)
    .padStart(8, "0");
  return `${seconds}${randomBytes(3).toString("hex")}`;
}

/** The prefix every resource of the run is named with. */
export function runNamePrefix(runId: string): string {
  return `${RUN_NAME_PREFIX}${runId}-`;
}

/** When the run started, for an id that says (undefined for the older random-only ids). */
export function runStartedAt(runId: string): Date | undefined {
  return runId.length === 14 && RUN_ID.test(runId) ? new Date(parseInt(runId.slice(0, 8), 16) * 1000) : undefined;
}

/** The id of the run a resource name belongs to, if it is a contract run's name whose id carries the time. */
export function timedRunIdOfName(name: string): string | undefined {
  return TIMED_NAME.exec(name)?.[1];
}
