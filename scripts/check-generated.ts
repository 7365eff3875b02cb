/** `npm run check:generated`: fail when generated/ is stale (src/spec-tools/generate-command.ts). */
import { checkGeneratedCommand } from "../src/spec-tools/generate-command.js";

process.exitCode = await checkGeneratedCommand(process.argv.slice(2));
