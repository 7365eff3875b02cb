#!/usr/bin/env node
/** The package's `auth0-contract` command: the same as `npm run contract` in this repository. */
import { enableCompileCache } from "../shared/compile-cache.js";

enableCompileCache();
const { main } = await import("./cli.js");
process.exitCode = await main(process.argv.slice(2), process.env, undefined, "auth0-contract", (code) => process.exit(code));
