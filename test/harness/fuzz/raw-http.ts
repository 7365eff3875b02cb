/**
 * One HTTP/1.1 exchange with nothing in between: the path goes on the wire exactly as given (a WHATWG URL would
 * resolve `../` and `%2e%2e` before sending, hiding what a server does with them), the body is sent as given.
 */
import { request } from "node:http";
import { connect } from "node:net";

export interface RawRequest {
  method: string;
  /** Sent verbatim, e.g. `/api/v2/organizations/..%2Fx`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function sendRaw(origin: string, raw: RawRequest, timeoutMs = 5_000): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: raw.method, path: raw.path, headers: raw.headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${raw.method} ${raw.path} got no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(raw.body);
  });
}

/**
 * Bytes written to a socket as they are (a malformed request line, headers too large for Node), and everything read
 * back until the server closes the connection or `timeoutMs` passes; the answer's status and body when it sent one.
 */
export function sendRawBytes(origin: string, bytes: string | Buffer, timeoutMs = 5_000): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const head = split < 0 ? text : text.slice(0, split);
      const headers: Record<string, string> = {};
      for (const line of head.split("\r\n").slice(1)) {
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), headers, body: split < 0 ? "" : text.slice(split + 4) });
    });
    socket.end(bytes);
  });
}
