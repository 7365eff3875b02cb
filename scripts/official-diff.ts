/** `npm run official-diff -- <document>` (`--help` lists the options): src/contract/official-diff/command.ts. */
import { officialDiffCommand } from "../src/contract/official-diff/command.js";

process.exitCode = await officialDiffCommand(process.argv.slice(2));
