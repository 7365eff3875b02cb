/**
 * The in-process transport: a web `Request` becomes a plain request, the core's plain reply becomes a `Response`.
 * This is what `emulator.fetch` (and user middleware, which works on web objects) runs through.
 */
import { readWebBody } from "../body.js";
import type { PeerAddress, PlainReply, PlainRequest } from "../plain.js";

/** Splits an absolute URL (`scheme://host/path?query`, as `Request.url` always is) without a full URL parse. */
function splitUrl(url: string): { hostname: string; path: string; query: string } {
  const hostStart = url.indexOf("//") + 2;
  let pathStart = url.indexOf("/", hostStart);
  if (pathStart < 0) pathStart = url.length;
  const host = url.slice(hostStart, pathStart);
  // `[::1]:8787` keeps its brackets (access.ts strips them), `name:8787` loses its port.
  const hostname = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : (host.split(":")[0] ?? host);
  const queryStart = url.indexOf("?", pathStart);
  const end = url.indexOf("#", pathStart);
  const pathEnd = queryStart >= 0 ? queryStart : end >= 0 ? end : url.length;
  const path = pathStart < url.length ? url.slice(pathStart, pathEnd) : "/";
  const query = queryStart >= 0 ? url.slice(queryStart + 1, end > queryStart ? end : url.length) : "";
  return { hostname, path: path === "" ? "/" : path, query };
}

/** A web `Request` seen as a plain request (a class, so no closures are made per request). */
class WebPlainRequest implements PlainRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly targetHostname: string;

  constructor(
    private readonly request: Request,
    readonly peer: PeerAddress,
  ) {
    const { hostname, path, query } = splitUrl(request.url);
    this.method = request.method;
    this.path = path;
    this.query = query;
    this.targetHostname = hostname;
  }

  header(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined;
  }

  readBody(): Promise<string> {
    return readWebBody(this.request);
  }
}

export function plainRequestFromWeb(request: Request, peer: PeerAddress): PlainRequest {
  return new WebPlainRequest(request, peer);
}

export function webResponseFromPlain(reply: PlainReply, method: string): Response {
  return new Response(method === "HEAD" ? null : reply.body, { status: reply.status, headers: reply.headers });
}
