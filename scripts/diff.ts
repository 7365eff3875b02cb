/** `npm run diff -- --base <git-ref> [--spec <file>]` (`--help` lists the options): src/spec-tools/diff/command.ts. */
import { diffCommand } from "../src/spec-tools/diff/command.js";

process.exitCode = await diffCommand(process.argv.slice(2));
