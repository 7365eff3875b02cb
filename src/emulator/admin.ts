/**
 * The emulator's own control API, under `/__emulator/` (a prefix no Auth0 path can start with). It needs no
 * Management API token; who may call it is decided in access.ts (loopback callers with a loopback Host, no foreign
 * Origin, JSON writes; or an admin token). Errors use Auth0's error shape.
 *
 *   GET    /__emulator/ready    200 `{ ready: true, domain, audience }` once it answers requests
 *   GET    /__emulator/state    the tenant's contents, in the seed format
 *   POST   /__emulator/seed     add seed data (body: the seed format)
 *   POST   /__emulator/reset    back to the start-up seed and faults
 *   POST   /__emulator/clear    empty tenant
 *   GET    /__emulator/faults   the faults in force
 *   POST   /__emulator/faults   replace them (body: FaultOptions)
 *   POST   /__emulator/faults/rules   add one rule in front of the others (body: FaultRule)
 *   DELETE /__emulator/faults   remove them
 *   POST   /__emulator/token    a token: body `{ "scopes"?: string[], "expiresIn"?: number | string }`
 *   GET    /__emulator/limits   the rate-limit buckets as they stand; POST replaces them (see limits/admin-routes.ts)
 *   GET    /__emulator/clock    the rate limits' clock; POST `{ "advanceMs": n }` moves it forward
 *   GET    /__emulator/tenants  the tenants made so far (the emulator's own admin API only; see tenants.ts)
 *   POST   /__emulator/tenants  make one with its own start-up contents: body `{ name, seed?, faults? }`
 *
 * Under `/tenants/{name}` the same API serves that tenant.
 */
import { type AdminAccessSettings, assertAdminAccess } from "./access.js";
import { parseJsonBody } from "./body.js";
import type { EmulatorControls } from "./controls.js";
import type { PlainReply, PlainRequest } from "./plain.js";
import { limitRoutes } from "./limits/admin-routes.js";
import { jsonReply, noContentReply } from "./responses.js";
import { invalidBody } from "./errors.js";

export const ADMIN_PREFIX = "/__emulator";

export type AdminHandler = (request: PlainRequest) => PlainReply | Promise<PlainReply>;

async function readJson(request: PlainRequest): Promise<unknown> {
  return parseJsonBody(await request.readBody(), request.header("content-type"));
}

async function readObject(request: PlainRequest): Promise<Record<string, unknown>> {
  const body = (await readJson(request)) ?? {};
  if (typeof body !== "object" || Array.isArray(body)) throw invalidBody("The body must be a JSON object");
  return body as Record<string, unknown>;
}

/** Whether a path belongs to the admin API (every such path is access-checked first, known or not). */
export const isAdminPath = (path: string) => path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);

/**
 * The admin API's routes by `METHOD path`. `serveAdmin` checks access before anything else; an unknown admin path
 * is a 404 only for callers who may use the admin API.
 */
export function adminRoutes(controls: EmulatorControls): Map<string, AdminHandler> {
  const routes: Array<[string, string, AdminHandler]> = [
    ["GET", "/ready", () => jsonReply(200, { ready: true, domain: controls.domain, audience: controls.audience })],
    ["GET", "/state", () => jsonReply(200, controls.state.snapshot())],
    [
      "POST",
      "/seed",
      async (request) => {
        controls.state.seed((await readJson(request)) as never);
        return noContentReply();
      },
    ],
    [
      "POST",
      "/reset",
      () => {
        controls.state.reset();
        return noContentReply();
      },
    ],
    [
      "POST",
      "/clear",
      () => {
        controls.state.clear();
        return noContentReply();
      },
    ],
    ["GET", "/faults", () => jsonReply(200, controls.faults.current())],
    [
      "POST",
      "/faults",
      async (request) => {
        controls.faults.set(await readObject(request));
        return jsonReply(200, controls.faults.current());
      },
    ],
    [
      "POST",
      "/faults/rules",
      async (request) => {
        controls.faults.add(await readObject(request));
        return jsonReply(200, controls.faults.current());
      },
    ],
    [
      "DELETE",
      "/faults",
      () => {
        controls.faults.clear();
        return noContentReply();
      },
    ],
    ["POST", "/token", (request) => issueAdminToken(controls, request)],
    ...limitRoutes(controls, readObject),
  ];
  const { tenants } = controls;
  if (tenants) {
    routes.push(
      ["GET", "/tenants", () => jsonReply(200, tenants.list())],
      [
        "POST",
        "/tenants",
        async (request) => {
          const { name, ...own } = await readObject(request);
          const unknown = Object.keys(own).filter((key) => key !== "seed" && key !== "faults");
          if (unknown.length > 0) throw invalidBody(`Unknown tenant setting: ${unknown.join(", ")} (a tenant takes name, seed and faults)`);
          tenants.create(name as string, own);
          return jsonReply(
            201,
            tenants.list().find((tenant) => tenant.name === name),
          );
        },
      ],
    );
  }
  return new Map(routes.map(([method, path, handler]) => [`${method} ${ADMIN_PREFIX}${path}`, handler]));
}

async function issueAdminToken(controls: EmulatorControls, request: PlainRequest): Promise<PlainReply> {
  const body = await readObject(request);
  const scopes = body.scopes;
  if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((scope) => typeof scope === "string"))) {
    throw invalidBody("scopes must be an array of strings");
  }
  const expiresIn = body.expiresIn;
  if (expiresIn !== undefined && typeof expiresIn !== "number" && typeof expiresIn !== "string") {
    throw invalidBody('expiresIn must be a number of seconds or a time span such as "1h"');
  }
  try {
    return jsonReply(200, { access_token: await controls.issueToken({ scopes: scopes, expiresIn }) });
  } catch (error) {
    if (error instanceof TypeError) throw invalidBody(`expiresIn is not a valid time span: ${String(expiresIn)}`);
    throw error;
  }
}

/** Answers an admin API request: access first (see access.ts), then the route. */
export function serveAdmin(
  routes: Map<string, AdminHandler>,
  access: AdminAccessSettings,
  request: PlainRequest,
): PlainReply | Promise<PlainReply> | undefined {
  assertAdminAccess(request, access);
  return routes.get(`${request.method === "HEAD" ? "GET" : request.method} ${request.path}`)?.(request);
}
