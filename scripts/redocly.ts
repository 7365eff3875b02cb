/**
 * `npm run lint` (and any `redocly` command through `tsx scripts/redocly.ts <command>`): the Redocly CLI with
 * its Node 20 end-of-life banner taken out of stderr; arguments, output and exit code are Redocly's own.
 */
import { runRedocly } from "../src/spec-tools/redocly.js";

process.exitCode = await runRedocly(process.argv.slice(2));
