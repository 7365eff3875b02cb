/**
 * Helpers for running Auth0's official SDKs against the emulator. The SDKs build `https://{domain}/...` URLs
 * themselves (v7 overwrites its `baseUrl` option) but take a `fetch`, so the emulator is reached by rewriting the
 * origin of each request they make.
 */

/**
 * A `fetch` that sends every `https://` request to `emulatorOrigin` (e.g. `http://127.0.0.1:8787`), keeping the
 * path, query, method, headers and body. Anything else goes out unchanged.
 */
export function originRewritingFetch(emulatorOrigin: string): typeof fetch {
  const origin = new URL(emulatorOrigin).origin;
  const redirect = (url: string): string => {
    const parsed = new URL(url);
    return parsed.protocol === "https:" ? `${origin}${parsed.pathname}${parsed.search}` : url;
  };
  return (input, init) => {
    if (input instanceof Request) return fetch(new Request(redirect(input.url), input), init);
    return fetch(redirect(input instanceof URL ? input.href : input), init);
  };
}
