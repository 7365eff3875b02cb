/**
 * Deliberately broken variants of the emulator, each a response-rewriting middleware that breaks one promise of
 * the contract for one transaction. Only Dredd's requests are rewritten, so the run's own fixture calls (made
 * through the typed client) still work and the run reaches the broken transaction.
 */
import type { EmulatorMiddleware } from "../../src/emulator/types.js";

export interface Mutant {
  name: string;
  /** A fragment of the Dredd transaction id (`METHOD (status) path`) that must be reported as failed. */
  breaks: RegExp;
  middleware: EmulatorMiddleware;
}

type Rewrite = (response: { status: number; headers: Headers; body: unknown }) => { status: number; headers: Headers; body: unknown } | void;

function rewriting(method: string, path: RegExp, rewrite: Rewrite): EmulatorMiddleware {
  return async (request, next) => {
    const response = await next(request);
    const fromDredd = (request.headers.get("user-agent") ?? "").startsWith("Dredd/");
    if (!fromDredd || request.method !== method || !path.test(new URL(request.url).pathname)) return response;
    const text = await response.text();
    const original = { status: response.status, headers: new Headers(response.headers), body: text ? (JSON.parse(text) as unknown) : undefined };
    const changed = rewrite(original) ?? original;
    const body = typeof changed.body === "string" || changed.body === undefined ? changed.body : JSON.stringify(changed.body);
    changed.headers.delete("content-length");
    return new Response(body ?? null, { status: changed.status, headers: changed.headers });
  };
}

const ORG_LINK = /^\/api\/v2\/organizations\/[^/]+\/connections\/[^/]+$/;
const ORG_LINKS = /^\/api\/v2\/organizations\/[^/]+\/connections$/;
const ENABLED_LINK = /^\/api\/v2\/organizations\/[^/]+\/enabled_connections\/[^/]+$/;
const ORGANIZATION = /^\/api\/v2\/organizations\/[^/]+$/;
const CONNECTION = /^\/api\/v2\/connections\/[^/]+$/;

export const MUTANTS: Mutant[] = [
  {
    name: "a required response field dropped",
    breaks: /^GET \(200\) \/organizations\/[^/]+\/connections\/[^/]+$/,
    middleware: rewriting("GET", ORG_LINK, (r) => {
      if (r.status === 200) delete (r.body as Record<string, unknown>).connection_id;
    }),
  },
  {
    name: "a field of the wrong type",
    breaks: /^GET \(200\) \/organizations\/[^/]+$/,
    middleware: rewriting("GET", ORGANIZATION, (r) => {
      if (r.status === 200) (r.body as Record<string, unknown>).name = 42;
    }),
  },
  {
    name: "an enum value outside the spec",
    breaks: /^PATCH \(200\) \/organizations\/[^/]+\/connections\/[^/]+$/,
    middleware: rewriting("PATCH", ORG_LINK, (r) => {
      if (r.status === 200) (r.body as Record<string, unknown>).organization_access_level = "admin";
    }),
  },
  {
    name: "a null where the schema forbids it",
    breaks: /^GET \(200\) \/organizations\/[^/]+\/enabled_connections\/[^/]+$/,
    middleware: rewriting("GET", ENABLED_LINK, (r) => {
      if (r.status === 200) (r.body as Record<string, unknown>).show_as_button = null;
    }),
  },
  {
    name: "a list ignoring include_totals",
    breaks: /^GET \(200\) \/organizations\/[^/]+\/connections/,
    middleware: rewriting("GET", ORG_LINKS, (r) => {
      const page = r.body as { connections?: unknown[] };
      if (r.status === 200 && page.connections) r.body = page.connections;
    }),
  },
  {
    name: "a wrong success status (200 for a 201)",
    breaks: /^POST \(201\) \/organizations$/,
    middleware: rewriting("POST", /^\/api\/v2\/organizations$/, (r) => {
      if (r.status === 201) r.status = 200;
    }),
  },
  {
    name: "a wrong content type",
    breaks: /^GET \(200\) \/connections\/[^/]+$/,
    middleware: rewriting("GET", CONNECTION, (r) => {
      if (r.status === 200) r.headers.set("content-type", "text/plain; charset=utf-8");
    }),
  },
  {
    name: "a 429 without its rate-limit headers",
    breaks: /^GET \(429\) /,
    middleware: rewriting("GET", /^\/api\/v2\//, (r) => {
      if (r.status === 429) for (const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]) r.headers.delete(name);
    }),
  },
  {
    name: "an error body missing statusCode",
    breaks: /^GET \(404\) /,
    middleware: rewriting("GET", /^\/api\/v2\//, (r) => {
      if (r.status === 404) delete (r.body as Record<string, unknown>).statusCode;
    }),
  },
];
