/**
 * The emulator's own request and reply: what every transport hands the core and gets back. Plain data, so the
 * core never builds a web `Request` or `Response`; the HTTP adapter reads these straight off the socket and
 * writes them straight back, the fetch adapter converts at the edge.
 */
/** Where a request came from: `null` for in-process `emulator.fetch`, else the socket's peer address. */
export type PeerAddress = string | null;

export interface PlainRequest {
  /** Upper case. */
  method: string;
  /** The path as sent (still percent-encoded, dot segments resolved), without the query. */
  path: string;
  /** The query string without its `?`; empty when there is none. */
  query: string;
  /**
   * A header's value by its lower-case name (repeated headers joined with `, `), undefined when absent. A function
   * rather than an object so that the HTTP transport reads only the few headers the core asks for.
   */
  header(name: string): string | undefined;
  /**
   * The host name the request target names (an absolute URL's host, or the fetch URL's host in-process); undefined
   * when the target is a plain path and only the `Host` header names the host.
   */
  targetHostname: string | undefined;
  /** The socket's peer address; `null` in-process (see access.ts). */
  peer: PeerAddress;
  /** The prefix the request came in under when a tenant serves it (`/tenants/a`); undefined for the emulator's own. */
  readonly mountPath?: string;
  /** The body as UTF-8 text, read at most once; throws the 400 for a body over the limit or a client gone mid-body. */
  readBody(): Promise<string>;
}

export interface PlainReply {
  status: number;
  headers: Record<string, string>;
  /** `null` for an empty answer. */
  body: string | null;
}
