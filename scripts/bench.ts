/** `npm run bench [-- --quick] [--no-test-suite]` (`--help` lists the options): test/harness/bench/command.ts. */
import { benchCommand } from "../test/harness/bench/command.js";

process.exitCode = await benchCommand(process.argv.slice(2));
