#!/usr/bin/env node
/** The package's `auth0-emulator` command: the same as `npm run emulator` in this repository. */
import { enableCompileCache } from "../shared/compile-cache.js";

enableCompileCache();
const { emulatorCommand } = await import("./command.js");
await emulatorCommand(process.argv.slice(2), "auth0-emulator");
