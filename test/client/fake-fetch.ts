/** A scripted `fetch` for client tests: records every request it gets and answers from a handler. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  signal: AbortSignal;
}

export type Handler = (request: SeenRequest, index: number) => Response | Promise<Response>;

export interface FakeFetch {
  fetch: (request: Request) => Promise<Response>;
  requests: SeenRequest[];
  /** Requests to the Management API only (not to the token endpoint). */
  apiRequests(): SeenRequest[];
}

// No test needs more; a client stuck in a retry loop fails fast instead of hanging the run.
const MAX_REQUESTS = 200;

export function fakeFetch(handler: Handler): FakeFetch {
  const requests: SeenRequest[] = [];
  return {
    requests,
    apiRequests: () => requests.filter((r) => r.url.pathname.startsWith("/api/v2/")),
    async fetch(request: Request) {
      if (requests.length >= MAX_REQUESTS) throw new Error(`fake fetch: more than ${MAX_REQUESTS} requests, the client is looping`);
      const seen: SeenRequest = {
        method: request.method,
        url: new URL(request.url),
        headers: new Headers(request.headers),
        body: await request.text(),
        signal: request.signal,
      };
      requests.push(seen);
      return handler(seen, requests.length - 1);
    },
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

export function auth0Error(status: number, error: string, message: string, errorCode?: string, headers: Record<string, string> = {}): Response {
  return json(status, { statusCode: status, error, message, ...(errorCode ? { errorCode } : {}) }, headers);
}

/** A realistic-looking (fake) JWT, long enough to be treated as a secret. */
export function fakeJwt(label: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ sub: label, iat: 1_700_000_000 })}.${Buffer.from(`signature-${label}`).toString("base64url")}`;
}

export const ORG = "org_bCE84ZIRjtX58FeO";
export const CON = "con_PmFe8KxCsPJvZRrj";

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to reject, but it resolved");
}
