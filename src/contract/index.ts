/** Contract checks with Dredd against the emulator, Prism, any server or a live tenant. */
export { runContract, cleanupLeftovers } from "./run.js";
export type { ContractOptions, ContractReport } from "./run.js";
export type { ContractTargetOptions } from "./run-options.js";
export type { TransactionResult } from "./dredd.js";
export { ContractTargetError, ContractUsageError } from "./errors.js";
export { main as contractCli, USAGE as CONTRACT_USAGE } from "./cli.js";
