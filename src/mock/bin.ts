#!/usr/bin/env node
/** The package's `auth0-mock` command: the same as `npm run mock` in this repository. */
import { enableCompileCache } from "../shared/compile-cache.js";

enableCompileCache();
const { mockCommand } = await import("./command.js");
process.exitCode = await mockCommand(process.argv.slice(2), "auth0-mock");
