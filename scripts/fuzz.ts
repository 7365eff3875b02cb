/** `npm run fuzz [-- --short] [--seed N]` (`--help` lists the options): test/harness/fuzz/command.ts. */
import { fuzzCommand } from "../test/harness/fuzz/command.js";

process.exitCode = await fuzzCommand(process.argv.slice(2));
