/** The two ways a contract run can fail to start, each reported as one clear sentence (no stack trace). */

/** The command line or options are wrong (exit code 2). */
export class ContractUsageError extends Error {}

/** The target cannot be used: unreachable, the token rejected, a mock that would not start (exit code 1). */
export class ContractTargetError extends Error {}
