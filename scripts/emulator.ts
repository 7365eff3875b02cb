/**
 * `npm run emulator -- [options]` (`--help` lists them): the same command as the installed `auth0-emulator`.
 * src/emulator/command.ts declares and checks its options (the shared runner parses them); src/emulator/cli.ts does the work.
 */
import { emulatorCommand } from "../src/emulator/command.js";

process.exit(await emulatorCommand(process.argv.slice(2), "npm run emulator --"));
