/**
 * The emulator's own control API, under `/__emulator/` (a prefix no Auth0 path can start with). It needs no
 * Management API token; who may call it is decided in access.ts (loopback callers with a loopback Host, no foreign
 * Origin, JSON writes; or an admin token). Errors use Auth0's error shape.
 *
 *   GET    /__emulator/state    the tenant's contents, in the seed format
 *   POST   /__emulator/seed     add seed data (body: the seed format)
 *   POST   /__emulator/reset    back to the start-up seed
 *   POST   /__emulator/clear    empty tenant
 *   GET    /__emulator/faults   the faults in force
 *   POST   /__emulator/faults   replace them (body: FaultOptions)
 *   DELETE /__emulator/faults   remove them
 *   POST   /__emulator/token    a token: body `{ "scopes"?: string[], "expiresIn"?: number | string }`
 */
import type { Hono } from "hono";
import { type AdminAccessSettings, assertAdminAccess, type PeerAddress } from "./access.js";
import { readJsonBody } from "./body.js";
import { ApiError, jsonResponse, noContentResponse } from "./responses.js";
import type { EmulatorControls } from "./controls.js";

export const ADMIN_PREFIX = "/__emulator";

async function readObject(request: Request): Promise<Record<string, unknown>> {
  const body = (await readJsonBody(request)) ?? {};
  if (typeof body !== "object" || Array.isArray(body)) throw new ApiError(400, "The body must be a JSON object", "invalid_body");
  return body as Record<string, unknown>;
}

export function mountAdminRoutes<E extends { Bindings: { peer: PeerAddress } }>(app: Hono<E>, controls: EmulatorControls, access: AdminAccessSettings): void {
  app.use(`${ADMIN_PREFIX}/*`, async (c, next) => {
    assertAdminAccess(c.req.raw, c.env.peer, access);
    await next();
  });
  app.get(`${ADMIN_PREFIX}/state`, () => jsonResponse(200, controls.state.snapshot()));
  app.post(`${ADMIN_PREFIX}/seed`, async (c) => {
    controls.state.seed((await readJsonBody(c.req.raw)) as never);
    return noContentResponse();
  });
  app.post(`${ADMIN_PREFIX}/reset`, () => {
    controls.state.reset();
    return noContentResponse();
  });
  app.post(`${ADMIN_PREFIX}/clear`, () => {
    controls.state.clear();
    return noContentResponse();
  });

  app.get(`${ADMIN_PREFIX}/faults`, () => jsonResponse(200, controls.faults.current()));
  app.post(`${ADMIN_PREFIX}/faults`, async (c) => {
    controls.faults.set((await readObject(c.req.raw)) as never);
    return jsonResponse(200, controls.faults.current());
  });
  app.delete(`${ADMIN_PREFIX}/faults`, () => {
    controls.faults.clear();
    return noContentResponse();
  });

  app.post(`${ADMIN_PREFIX}/token`, async (c) => {
    const body = await readObject(c.req.raw);
    const scopes = body.scopes;
    if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === "string"))) {
      throw new ApiError(400, "scopes must be an array of strings", "invalid_body");
    }
    const expiresIn = body.expiresIn;
    if (expiresIn !== undefined && typeof expiresIn !== "number" && typeof expiresIn !== "string") {
      throw new ApiError(400, "expiresIn must be a number of seconds or a time span such as \"1h\"", "invalid_body");
    }
    try {
      return jsonResponse(200, { access_token: await controls.issueToken({ scopes: scopes as string[] | undefined, expiresIn }) });
    } catch (error) {
      if (error instanceof TypeError) throw new ApiError(400, `expiresIn is not a valid time span: ${String(expiresIn)}`, "invalid_body");
      throw error;
    }
  });
}
