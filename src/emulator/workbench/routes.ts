/**
 * The workbench's admin routes: the request inspector as JSON, the local dashboard (a page, its script and its
 * style, all served from here: nothing from another host) and the one door through which the page changes the
 * tenant. They are admin API routes, so `serveAdmin` checks every request by the admin API's own rules before it
 * reaches them (loopback peer and Host, no foreign Origin, JSON-only writes, or the admin token).
 *
 *   GET    /__emulator/requests[?after=<seq>]   the last requests answered, newest first
 *   DELETE /__emulator/requests                 forget them
 *   GET    /__emulator/settings                 the tenant's domain, rate limit and faults, the spec's access levels
 *   GET    /__emulator/organizations?q=&page=   organizations, searched and paged (50 a page)
 *   GET    /__emulator/connections              connections, each with the organizations that use it
 *   GET    /__emulator/applications             applications and client grants (read-only; no secrets)
 *   GET    /__emulator/login-prompt?organization=<id>   what Auth0's login prompt would offer (login-prompt.ts)
 *   POST   /__emulator/api                      a Management API call made for the page: {method, path, body?}
 *   GET    /__emulator/  (and /__emulator)      the dashboard
 *   GET    /__emulator/dashboard.js, .css       its script and style
 *
 * The page changes nothing itself: every change is a Management API request through `/__emulator/api`, answered by
 * the same pipeline, store and rules as any client's (and so with the same error messages), and shown in the
 * inspector as the dashboard's.
 */
import type { AdminHandler } from "../admin.js";
import { parseJsonBody } from "../body.js";
import type { InternalApiCall } from "../core.js";
import type { FaultController } from "../faults.js";
import type { RequestInspector } from "../inspector.js";
import type { PlainReply, PlainRequest } from "../plain.js";
import type { RateLimiter } from "../rate-limit.js";
import { jsonReply, noContentReply } from "../responses.js";
import type { TenantStore } from "../store.js";
import { loadDereferencedSpec } from "../../shared/spec.js";
import { loginPromptOf } from "./login-prompt.js";
import { DASHBOARD_HTML, DASHBOARD_SCRIPT, DASHBOARD_STYLE } from "./page.js";
import { applicationsAndGrants, connectionsWithOrganizations, organizationsPage } from "./views.js";
import { invalidBody } from "../errors.js";

/** One tenant, as the workbench sees it (an emulator serving several tenants mounts one set of routes each). */
export interface WorkbenchTenant {
  domain: string;
  store: TenantStore;
  inspector: RequestInspector;
  limiter: RateLimiter;
  faults: FaultController;
  /** A Management API call on the tenant, made for the page (see core.ts `InternalApiCall`). */
  callApi: InternalApiCall;
}

/** The spec's organization access levels (the connection form offers exactly these). */
function accessLevels(): unknown {
  return (loadDereferencedSpec().components?.schemas?.OrganizationAccessLevel as { enum?: unknown } | undefined)?.enum ?? [];
}

const PREFIX = "/__emulator";

/**
 * The page's own headers: nothing may be loaded from elsewhere, it may not be framed (no click-jacking through a
 * page of another site), and nothing is cached or sniffed.
 */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

const asset = (contentType: string, body: string): PlainReply => ({ status: 200, headers: { ...PAGE_HEADERS, "content-type": contentType }, body });

const METHODS = new Set(["GET", "POST", "PATCH", "DELETE"]);

/** The body of `POST /__emulator/api`, checked: a Management API path (without `/api/v2`) and a method it may use. */
async function readApiCall(request: PlainRequest): Promise<{ method: string; path: string; body?: unknown }> {
  const body = parseJsonBody(await request.readBody(), request.header("content-type")) as Record<string, unknown> | undefined;
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidBody("The body must be a JSON object: {method, path, body?}");
  const { method, path } = body;
  if (typeof method !== "string" || !METHODS.has(method)) throw invalidBody("method must be GET, POST, PATCH or DELETE");
  if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//"))
    throw invalidBody("path must be a Management API path such as /organizations");
  return { method, path, body: body.body };
}

export function workbenchRoutes({ inspector, limiter, faults, domain, callApi, store }: WorkbenchTenant): Array<[string, AdminHandler]> {
  const page = () => asset("text/html; charset=utf-8", DASHBOARD_HTML);
  const queryOf = (request: PlainRequest) => new URLSearchParams(request.query);
  return [
    [
      `GET ${PREFIX}/organizations`,
      (request) => {
        const query = queryOf(request);
        return jsonReply(200, organizationsPage(store, query.get("q") ?? "", Number(query.get("page") ?? "0") || 0));
      },
    ],
    [`GET ${PREFIX}/connections`, () => jsonReply(200, { connections: connectionsWithOrganizations(store) })],
    [`GET ${PREFIX}/applications`, () => jsonReply(200, applicationsAndGrants(store))],
    [`GET ${PREFIX}/login-prompt`, (request) => jsonReply(200, loginPromptOf(store, queryOf(request).get("organization") ?? ""))],
    [
      `GET ${PREFIX}/requests`,
      (request) => {
        const after = Number(queryOf(request).get("after") ?? "0");
        return jsonReply(200, { capacity: inspector.capacity, requests: inspector.list(Number.isFinite(after) ? after : 0) });
      },
    ],
    [
      `DELETE ${PREFIX}/requests`,
      () => {
        inspector.clear();
        return noContentReply();
      },
    ],
    [`GET ${PREFIX}/settings`, () => jsonReply(200, { domain, rateLimit: limiter.state(), faults: faults.current(), accessLevels: accessLevels() })],
    [
      `POST ${PREFIX}/api`,
      async (request) => {
        const call = await readApiCall(request);
        const answer = await callApi(call.method, call.path, call.body);
        return jsonReply(200, { status: answer.status, body: answer.body === null ? null : (JSON.parse(answer.body) as unknown) });
      },
    ],
    [`GET ${PREFIX}`, page],
    [`GET ${PREFIX}/`, page],
    [`GET ${PREFIX}/dashboard.js`, () => asset("text/javascript; charset=utf-8", DASHBOARD_SCRIPT)],
    [`GET ${PREFIX}/dashboard.css`, () => asset("text/css; charset=utf-8", DASHBOARD_STYLE)],
  ];
}
