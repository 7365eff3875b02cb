#!/usr/bin/env node
/** The package's `auth0-emulator` command: the same as `npm run emulator` in this repository. */
import { enableCompileCache } from "../shared/compile-cache.js";

enableCompileCache();
const { emulatorCommand } = await import("./command.js");
// Exits rather than setting the exit code: `exec` has its command's status to pass on at once, whatever the
// emulator's watchers (of the parent process, of stdin) still hold open.
process.exit(await emulatorCommand(process.argv.slice(2), "auth0-emulator"));
