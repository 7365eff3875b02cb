/** `npm run generate`: regenerate generated/ from openapi/ (src/spec-tools/generate-command.ts). */
import { generateCommand } from "../src/spec-tools/generate-command.js";

process.exitCode = await generateCommand(process.argv.slice(2));
