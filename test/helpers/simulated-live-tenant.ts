/**
 * A live tenant as a contract run meets it, on this machine: an emulator behind a TLS server that answers for a
 * `*.auth0.com` name (a self-signed certificate the run is told to trust with NODE_EXTRA_CA_CERTS; the name resolves
 * to loopback through the preload test/fixtures/node/auth0-to-loopback.mjs). The tenant issues short-lived tokens at
 * `/oauth/token` for the client credentials it knows, and may say they last longer than they do (a clock skew), so
 * that a run meets lapsed tokens as it would on a real tenant.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { PROJECT_ROOT } from "./project.js";

export const TENANT_NAME = "tenant-23.eu.auth0.com";
export const LIVE_CLIENT = { clientId: "live-run-client", clientSecret: "live-run-secret-0123456789" };

export interface SimulatedTenant {
  /** `tenant-23.eu.auth0.com:<port>`, for AUTH0_DOMAIN. */
  domain: string;
  /** The environment a run needs to reach it: the CA to trust and the name resolution. */
  env: NodeJS.ProcessEnv;
  /** Tokens issued at /oauth/token so far. */
  tokensIssued: () => number;
  /** A token for AUTH0_TOKEN that lapses after `seconds`. */
  staticToken: (seconds: number) => Promise<string>;
  close: () => Promise<void>;
}

function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer; certFile: string } {
  const keyFile = path.join(dir, "tenant-key.pem");
  const certFile = path.join(dir, "tenant-cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "1",
      "-subj",
      `/CN=${TENANT_NAME}`,
      "-addext",
      `subjectAltName=DNS:${TENANT_NAME}`,
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile };
}

async function mint(emulator: RunningEmulator, seconds: number): Promise<string> {
  const response = await fetch(`${emulator.url}/__emulator/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ expiresIn: seconds }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Puts `emulator` behind TLS as a live tenant whose tokens last `tokenSeconds` but are announced as `announcedSeconds`. */
export async function simulateLiveTenant(
  emulator: RunningEmulator,
  dir: string,
  { tokenSeconds, announcedSeconds = tokenSeconds }: { tokenSeconds: number; announcedSeconds?: number },
): Promise<SimulatedTenant> {
  const { key, cert, certFile } = selfSignedCertificate(dir);
  let issued = 0;
  const server: Server = createServer({ key, cert }, (request, reply) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      if (request.method === "POST" && request.url === "/oauth/token") {
        const grant = JSON.parse(body.toString() || "{}") as { client_id?: string; client_secret?: string };
        if (grant.client_id !== LIVE_CLIENT.clientId || grant.client_secret !== LIVE_CLIENT.clientSecret) {
          reply.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "access_denied", error_description: "Unauthorized" }));
          return;
        }
        issued += 1;
        const token = await mint(emulator, tokenSeconds);
        reply
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: announcedSeconds }));
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => !["host", "connection", "content-length"].includes(name)),
      ) as Record<string, string>;
      const answer = await fetch(`${emulator.url}${request.url}`, { method: request.method, headers, body: body.length > 0 ? body : undefined });
      const answerHeaders: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!["content-length", "content-encoding", "transfer-encoding", "connection"].includes(name)) answerHeaders[name] = value;
      });
      reply.writeHead(answer.status, answerHeaders).end(Buffer.from(await answer.arrayBuffer()));
    })().catch((error: unknown) => reply.writeHead(502).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const preload = path.join(PROJECT_ROOT, "test", "fixtures", "node", "auth0-to-loopback.mjs");
  return {
    domain: `${TENANT_NAME}:${port}`,
    env: { NODE_EXTRA_CA_CERTS: certFile, NODE_OPTIONS: `--import ${preload}` },
    tokensIssued: () => issued,
    staticToken: (seconds) => mint(emulator, seconds),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
