/**
 * Helpers for driving the official Auth0 Node SDK against the emulator. The SDK (v7) always builds
 * `https://{domain}/api/v2` and `https://{domain}/oauth/token` itself (its `baseUrl` option is overwritten), so
 * over HTTP it needs a `fetch` that sends those requests to the emulator's `http://127.0.0.1:<port>` instead.
 */

/** A `fetch` that replaces the origin of every request with `emulatorOrigin`, keeping path, query, method, headers and body. */
export function originRewritingFetch(emulatorOrigin: string): typeof fetch {
  const target = new URL(emulatorOrigin);
  return (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    url.protocol = target.protocol;
    url.host = target.host;
    return fetch(new Request(url, request));
  };
}
