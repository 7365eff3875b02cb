/**
 * The HTTP transport: a `node:http` request listener that reads the request straight into a plain request and
 * writes the core's plain reply straight back (no web `Request`/`Response` unless user middleware asks for them).
 * Each request reaches the core with its socket's peer address (which decides who may use the admin API, see
 * access.ts). A dropped-connection fault destroys the socket, so the client sees what a network failure looks
 * like. Requests Node itself rejects (headers over 16 KB, a malformed request line) and requests with a missing
 * or malformed Host or target are answered in Auth0's error shape too.
 */
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { Readable } from "node:stream";
import { auth0ErrorBody } from "../../shared/auth0-error.js";
import { clientClosed, declaredTooLarge, MAX_PAYLOAD_BYTES, tooLarge } from "../body.js";
import type { EmulatorCore } from "../core.js";
import { DroppedConnection } from "../faults.js";
import type { PlainReply, PlainRequest } from "../plain.js";
import { errorReply } from "../responses.js";

/** The web path, for user middleware: the request as a `Request`, answered with a `Response`. */
export type WebDispatch = (request: Request, peer: string) => Promise<Response>;

/** A target that needs no normalising: a plain path of URL-safe characters without `.`/`..` segments. */
const PLAIN_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/i;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;
/** A Host header that is certainly well-formed: a name or IPv4 address and an optional port. */
const PLAIN_HOST = /^[a-z0-9._-]+(?::\d{1,5})?$/i;

interface Target {
  path: string;
  query: string;
  /** The host an absolute-form target names. */
  hostname?: string;
}

/** The request target split into path and query, dot segments resolved as a URL parser would; a string is the 400's message. */
function parseTargetOf(target: string): Readonly<Target> | string {
  if (target.startsWith("/")) {
    const backslash = target.indexOf("\\");
    if (backslash >= 0) {
      const question = target.indexOf("?");
      if (question < 0 || backslash < question) return "Backslash in request path";
    }
    if (!PLAIN_TARGET.test(target) || DOT_SEGMENT.test(target)) {
      const normalized = new URL(target, "http://localhost");
      return { path: normalized.pathname, query: normalized.search.slice(1) };
    }
    const question = target.indexOf("?");
    const end = target.indexOf("#");
    if (question < 0) return { path: end < 0 ? target : target.slice(0, end), query: "" };
    return { path: target.slice(0, question), query: target.slice(question + 1, end > question ? end : target.length) };
  }
  if (/^https?:\/\//i.test(target)) {
    try {
      const absolute = new URL(target);
      return { path: absolute.pathname, query: absolute.search.slice(1), hostname: absolute.hostname };
    } catch {
      return "Invalid absolute URL";
    }
  }
  return "Invalid URL";
}

/** Undefined when the Host header is acceptable, else the 400's message. */
function hostProblemOf(host: string): string | undefined {
  if (PLAIN_HOST.test(host)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(`http://${host}/`);
  } catch {
    return "Invalid URL";
  }
  return parsed.hostname.length !== host.length && parsed.hostname !== host.replace(/:\d+$/, "").toLowerCase() ? "Invalid host header" : undefined;
}

/**
 * `parse` remembering its last text and answer. A keep-alive client sends the same Host, and mostly the same target,
 * on every request: the regular expressions then run once per new text, not once per request. Only for pure
 * functions whose answers are never changed by their callers.
 */
function rememberingLast<R>(parse: (text: string) => R): (text: string) => R {
  let lastText: string | undefined;
  let lastAnswer: R;
  return (text) => {
    if (text !== lastText) {
      lastAnswer = parse(text);
      lastText = text;
    }
    return lastAnswer;
  };
}

/**
 * A header's value straight from the raw header list (names compared case-insensitively, repeated values joined
 * with `, `), so that Node never builds its header object for a request.
 */
function rawHeader(raw: string[], name: string): string | undefined {
  let value: string | undefined;
  for (let index = 0; index < raw.length; index += 2) {
    const candidate = raw[index] as string;
    if (candidate.length === name.length && candidate.toLowerCase() === name)
      value = value === undefined ? raw[index + 1] : `${value}, ${raw[index + 1] as string}`;
  }
  return value;
}

/** Reads the body as UTF-8 text, at most MAX_PAYLOAD_BYTES; `progress.cutShort` says when reading stopped early. */
function readNodeBody(incoming: IncomingMessage, progress: { cutShort: boolean }): Promise<string> {
  if (declaredTooLarge(rawHeader(incoming.rawHeaders, "content-length"))) {
    progress.cutShort = true;
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onGone);
      incoming.off("close", onGone);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_PAYLOAD_BYTES) {
        cleanup();
        incoming.pause();
        progress.cutShort = true;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size).toString("utf8"));
    };
    const onGone = () => {
      cleanup();
      reject(clientClosed());
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onGone);
    incoming.on("close", onGone);
  });
}

/** A Node request seen as a plain request (a class, so no closures are made per request). */
class NodePlainRequest implements PlainRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** Set when the body was not read to its end (over the limit): the connection is closed after the reply. */
  cutShort = false;

  constructor(
    private readonly incoming: IncomingMessage,
    target: Readonly<Target>,
    readonly targetHostname: string | undefined,
    readonly peer: string,
  ) {
    this.method = incoming.method ?? "GET";
    this.path = target.path;
    this.query = target.query;
  }

  header(name: string): string | undefined {
    return rawHeader(this.incoming.rawHeaders, name);
  }

  readBody(): Promise<string> {
    return readNodeBody(this.incoming, this);
  }
}

/** A dropped-connection fault destroys the socket; anything else thrown past the core is a 500. */
function failRequest(incoming: IncomingMessage, outgoing: ServerResponse, error: unknown): void {
  if (error instanceof DroppedConnection) incoming.socket.destroy();
  else writeReply(outgoing, errorReply(500, "Internal Server Error"), true);
}

/**
 * Status, headers and body in one `writeHead().end()`. The headers go to Node as a flat array (no object for it to
 * enumerate), and the body as bytes: Node then writes its header text and the body side by side rather than
 * joining them into one more string to flatten and encode.
 */
function writeReply(outgoing: ServerResponse, reply: PlainReply, closeAfter: boolean): void {
  if (outgoing.destroyed) return;
  const headers: string[] = [];
  for (const name in reply.headers) headers.push(name, reply.headers[name] as string);
  if (closeAfter) headers.push("connection", "close");
  if (reply.body === null) {
    outgoing.writeHead(reply.status, headers).end();
    return;
  }
  // Bytes, not the string: Node would otherwise join the text to its header block, then encode it all again.
  const bytes = Buffer.from(reply.body);
  headers.push("content-length", String(bytes.byteLength));
  outgoing.writeHead(reply.status, headers).end(bytes);
}

function answerError(outgoing: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify(auth0ErrorBody(status, message));
  outgoing.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), connection: "close" }).end(body);
}

async function writeWebResponse(outgoing: ServerResponse, response: Response): Promise<void> {
  const body = response.body === null ? null : Buffer.from(await response.arrayBuffer());
  if (outgoing.destroyed) return;
  const headers: Record<string, string | number> = Object.fromEntries(response.headers);
  if (body !== null) headers["content-length"] = body.byteLength;
  outgoing.writeHead(response.status, headers).end(body ?? undefined);
}

/** `Request` headers from Node's (repeated ones joined, as `Headers` would). */
function webHeaders(incoming: IncomingMessage): Headers {
  const headers = new Headers();
  for (let index = 0; index < incoming.rawHeaders.length; index += 2)
    headers.append(incoming.rawHeaders[index] as string, incoming.rawHeaders[index + 1] as string);
  return headers;
}

/**
 * The listener. `listenHost` stands in for a missing Host header of an HTTP/1.0 request. `webDispatch`, when
 * given (user middleware is set), takes every request as a `Request` instead of the plain fast path.
 */
export function nodeRequestListener(
  core: EmulatorCore,
  listenHost: string,
  webDispatch?: WebDispatch,
): (incoming: IncomingMessage, outgoing: ServerResponse) => void {
  const hostProblem = rememberingLast(hostProblemOf);
  const parseTarget = rememberingLast(parseTargetOf);
  return (incoming, outgoing) => {
    const host = rawHeader(incoming.rawHeaders, "host");
    // Node answers an HTTP/1.1 request without Host itself, with an empty body; this answers it in Auth0's shape.
    if (host === undefined && incoming.httpVersion === "1.1") return answerError(outgoing, 400, "Missing Host header");
    const problem = host === undefined ? undefined : hostProblem(host);
    if (problem !== undefined) return answerError(outgoing, 400, problem);
    const target = parseTarget(incoming.url ?? "/");
    if (typeof target === "string") return answerError(outgoing, 400, target);
    // The socket's own peer address; forwarding headers are never consulted. Unknown (a socket already gone) is not loopback.
    const peer = incoming.socket.remoteAddress ?? "";

    if (webDispatch) {
      const url = `http://${target.hostname ?? host ?? listenHost}${target.path}${target.query === "" ? "" : `?${target.query}`}`;
      const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
      const init: RequestInit & { duplex?: "half" } = { method: incoming.method, headers: webHeaders(incoming) };
      if (hasBody) Object.assign(init, { body: Readable.toWeb(incoming) as ReadableStream, duplex: "half" });
      let request: Request;
      try {
        request = new Request(url, init);
      } catch {
        return answerError(outgoing, 400, "Invalid URL");
      }
      webDispatch(request, peer)
        .then((response) => writeWebResponse(outgoing, response))
        .catch((error: unknown) => failRequest(incoming, outgoing, error));
      return;
    }

    const request = new NodePlainRequest(incoming, target, target.hostname ?? (host === undefined ? listenHost : undefined), peer);
    try {
      const reply = core(request);
      if (reply instanceof Promise) {
        reply.then(
          (answer) => writeReply(outgoing, answer, request.cutShort),
          (error: unknown) => failRequest(incoming, outgoing, error),
        );
      } else {
        writeReply(outgoing, reply, false);
      }
    } catch (error) {
      failRequest(incoming, outgoing, error);
    }
  };
}

/** A raw HTTP/1.1 answer for a request Node refused before any handler saw it, then the socket is closed. */
export function rejectRawRequest(error: NodeJS.ErrnoException, socket: Socket): void {
  // As Node's own handler does: never write into an answer already on its way (a pipelined request went bad).
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (!socket.writable || answering || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const reason = STATUS_CODES[status] ?? "Bad Request";
  const message = status === 431 ? "Request header fields too large" : status === 408 ? "Request timeout" : "Malformed HTTP request";
  const body = JSON.stringify({ ...auth0ErrorBody(status, message), error: reason });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.destroySoon();
}
