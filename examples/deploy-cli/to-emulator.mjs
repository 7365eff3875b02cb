/**
 * A Node preload (`node --import ./examples/deploy-cli/to-emulator.mjs ...`) for tools that build
 * `https://{AUTH0_DOMAIN}/...` URLs themselves and cannot be pointed at another base URL, such as auth0-deploy-cli
 * and the official SDKs it carries. Every `fetch` to `https://$AUTH0_DOMAIN` is sent to `$AUTH0_EMULATOR_URL`
 * instead (the emulator's origin, e.g. `http://127.0.0.1:8787`); the path, query, method, headers and body are
 * kept, and every other request is left alone. The tool itself is not changed.
 *
 * Only a loopback emulator is accepted, so the preload cannot be used to send a tenant's credentials elsewhere.
 */
const domain = process.env.AUTH0_DOMAIN;
const target = process.env.AUTH0_EMULATOR_URL;

if (!domain || !target) {
  throw new Error("to-emulator.mjs needs AUTH0_DOMAIN (the tenant domain the tool is given) and AUTH0_EMULATOR_URL (e.g. http://127.0.0.1:8787)");
}
const emulator = new URL(target);
if (!["127.0.0.1", "localhost", "[::1]"].includes(emulator.hostname)) {
  throw new Error(`to-emulator.mjs only sends requests to a loopback emulator, not ${emulator.hostname}`);
}

const realFetch = globalThis.fetch;

globalThis.fetch = function fetchThroughEmulator(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.protocol !== "https:" || url.host !== domain) return realFetch(input, init);
  const redirected = `${emulator.origin}${url.pathname}${url.search}`;
  return realFetch(input instanceof Request ? new Request(redirected, input) : redirected, init);
};
