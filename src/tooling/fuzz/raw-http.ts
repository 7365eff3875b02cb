/**
 * One HTTP/1.1 exchange with nothing in between: the path goes on the wire exactly as given (a WHATWG URL would
 * resolve `../` and `%2e%2e` before sending, hiding what a server does with them), the body is sent as given.
 */
import { request } from "node:http";

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
