/** `npm run docs -- [--out site/index.html]` (`--help` lists the options): src/docs/command.ts. */
import { docsCommand } from "../src/docs/command.js";

process.exitCode = await docsCommand(process.argv.slice(2));
