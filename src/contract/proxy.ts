/**
 * A loopback forwarding proxy between Dredd and the target. Dredd sends its transactions itself, so this is where
 * they join the run's pacer: each request is forwarded through it (confined to the allowed hosts, no redirects
 * followed) and the answer handed back unchanged. A transaction meant to see a 429 says so with a private header
 * (EXPECT_429_HEADER, stripped here) so that its 429 is not repeated away. When forwarding fails, the proxy answers
 * 502 with the reason in PROXY_ERROR_HEADER, which the hooks report as the transaction's failure.
 *
 * It answers only the run (proxy-gate.ts): a request without the run's key, aimed elsewhere or outside the spec's
 * operations gets a 403 and is never forwarded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { auth0ErrorBody } from "../shared/auth0-error.js";
import { MAX_PAYLOAD_BYTES } from "../shared/payload-limit.js";
import type { FetchFunction } from "../client/index.js";
import { withCurrentToken } from "./outbound.js";
import { operationKey } from "./operation-key.js";
import type { Pacer } from "./pacer.js";
import type { ManagementAddress } from "../shared/management-address.js";
import { type GateSettings, newRunKey, refusal, RUN_KEY_HEADER } from "./proxy-gate.js";
import { bearerOf, isInvalidTokenAnswer, type RunTokens } from "./run-tokens.js";

export { RUN_KEY_HEADER };

export const EXPECT_429_HEADER = "x-contract-expect-429";
export const PROXY_ERROR_HEADER = "x-contract-proxy-error";

/** Connection-level headers that belong to one hop, not to the request or answer. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "host", "content-length"]);

export interface ContractProxy {
  /** The proxy's address with the target's path prefix, e.g. `http://127.0.0.1:40123/api/v2`: Dredd's endpoint. */
  endpoint: string;
  /** The run's key: every request must carry it in RUN_KEY_HEADER (a secret: redact it). */
  runKey: string;
  /** The header for Dredd's `header` option (`name:value`), which adds it to every transaction. */
  dreddHeader: string;
  /** Forwards nothing more (an interrupted run must not create anything after its clean-up looked). */
  stop(): void;
  close(): Promise<void>;
}

/** The body, or undefined as soon as it passes the tenant's payload limit (a chunked body declares no length). */
async function readBoundedBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The proxy's refusal: Auth0's error shape, and the connection closed (an unread body is not waited for). */
function refuse(reply: ServerResponse, reason: string): void {
  const payload = JSON.stringify(auth0ErrorBody(403, `The contract run's proxy forwards only the run's own requests: ${reason}.`, "contract_proxy_refused"));
  reply.writeHead(403, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(payload)), connection: "close" });
  reply.end(payload);
}

function forwardedHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name === EXPECT_429_HEADER || name === RUN_KEY_HEADER) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** The run's way out, as the proxy uses it: its pacer, and the confined fetch each attempt goes through. */
export interface ProxyTransport {
  pacer: Pacer;
  /** Confined to the allowed hosts, no redirects, each attempt timed (outbound.ts `confinedFetch`). */
  send: FetchFunction;
  /** Each attempt's time on the wire (a request's reading is given as long, and a second more). */
  timeoutMs: number;
}

interface ForwardSettings {
  gate: GateSettings;
  target: URL;
  transport: ProxyTransport;
  stopped: () => boolean;
  /** The run's tokens: a transaction carrying one is sent with the current one, and cured once of a 401 `Invalid token.`. */
  tokens?: RunTokens;
}

async function forward(request: IncomingMessage, reply: ServerResponse, settings: ForwardSettings): Promise<void> {
  const { target, transport } = settings;
  const refused = refusal(request.method, request.url, request.headers, settings.gate);
  if (refused) return refuse(reply, refused);
  // Checked as origin-form above: it can only name a path on the target.
  const url = new URL(`${target.origin}${request.url}`);
  const method = request.method ?? "GET";
  const body = await readBoundedBody(request).catch(() => undefined);
  if (!body) return refuse(reply, `the body is larger than ${MAX_PAYLOAD_BYTES} bytes, or it could not be read`);
  try {
    let sentToken: string | undefined;
    const attempt = () =>
      transport.pacer.send({
        label: `${method} ${url.pathname}`,
        key: operationKey(method, url.pathname, settings.gate.basePath),
        expect429: request.headers[EXPECT_429_HEADER] === "1",
        send: async () => {
          if (settings.stopped()) throw new Error("not sent: the run was interrupted");
          const headers = forwardedHeaders(request);
          await withCurrentToken(headers, settings.tokens);
          sentToken = bearerOf(headers.get("authorization"));
          return transport.send(new Request(url, { method, headers, body: body.length > 0 ? new Uint8Array(body) : undefined }));
        },
      });
    let response = await attempt();
    // The run's own token was rejected (it lapsed, or the tenant revoked it): once more with a fresh one.
    const { tokens } = settings;
    if (tokens?.renewable && sentToken !== undefined && tokens.issued(sentToken) && (await isInvalidTokenAnswer(response))) {
      await response.body?.cancel().catch(() => {});
      await tokens.renew(sentToken);
      response = await attempt();
    }
    const answer = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    // fetch has already decoded the body, so its encoding and length no longer apply.
    response.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && name !== "content-encoding") headers[name] = value;
    });
    reply.writeHead(response.status, { ...headers, "content-length": String(answer.length) });
    reply.end(answer);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const payload = JSON.stringify({ statusCode: 502, error: "Bad Gateway", message });
    reply.writeHead(502, { "content-type": "application/json", [PROXY_ERROR_HEADER]: encodeURIComponent(message) });
    reply.end(payload);
  }
}

/** Starts the proxy on a free loopback port, forwarding to the target's origin. */
export async function startProxy(address: ManagementAddress, transport: ProxyTransport, tokens?: RunTokens): Promise<ContractProxy> {
  const target = new URL(address.origin);
  const { basePath } = address;
  let stopped = false;
  const gate: GateSettings = { runKey: newRunKey(), ownHost: "", basePath };
  const settings: ForwardSettings = { gate, target, transport, stopped: () => stopped, tokens };
  const { timeoutMs } = transport;
  // Reading a request (headers and body) has a deadline too: a caller that trickles bytes holds nothing for long.
  const server = createServer({ requestTimeout: timeoutMs + 1_000, headersTimeout: timeoutMs + 1_000 }, (request, reply) => {
    void forward(request, reply, settings);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  gate.ownHost = `127.0.0.1:${port}`;
  return {
    endpoint: `http://${gate.ownHost}${basePath}`,
    runKey: gate.runKey,
    dreddHeader: `${RUN_KEY_HEADER}:${gate.runKey}`,
    stop: () => (stopped = true),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
