/** `npm run contract`: check a server (the embedded emulator by default) against the contract. */
import { main } from "../src/contract/cli.js";

process.exitCode = await main(process.argv.slice(2), process.env, undefined, "contract", (code) => process.exit(code));
