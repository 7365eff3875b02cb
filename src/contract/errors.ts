/** The two ways a contract run can fail to start, each reported as one clear sentence (no stack trace). */

import { UsageError } from "../shared/command-line.js";

/** The command line or options are wrong (exit code 2): the project's one usage error. */
export class ContractUsageError extends UsageError {}

/** The target cannot be used: unreachable, the token rejected, a mock that would not start (exit code 1). */
export class ContractTargetError extends Error {}
