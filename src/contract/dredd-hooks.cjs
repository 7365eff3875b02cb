// Dredd loads hook files with require() (CommonJS) in its own process. The hook logic is TypeScript
// (src/contract/hooks.ts); the contract runner publishes a registration function on a global before it starts
// Dredd, and this adapter hands Dredd's hooks object to it.
const hooks = require("hooks");

const register = globalThis[Symbol.for("auth0-org-connections-toolkit.contract.hooks")];
if (typeof register !== "function") {
  throw new Error("the contract hooks can only be loaded by the contract runner (npm run contract)");
}
register(hooks);
