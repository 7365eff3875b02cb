/**
 * `npm run mock -- [--port 4010] [--errors]`: Prism mock of the bundled spec on 127.0.0.1, the same command as
 * the installed `auth0-mock` (src/mock/command.ts).
 */
import { mockCommand } from "../src/mock/command.js";

process.exitCode = await mockCommand(process.argv.slice(2), "npm run mock --");
