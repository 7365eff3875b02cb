/**
 * A local, stateful emulator of the Auth0 Management API endpoints described in `generated/openapi.json`.
 *
 *   const emulator = createEmulator({ seed });            // in-process: emulator.fetch is the whole API
 *   const running = await startEmulator({ port: 8787 });  // the same behind http://127.0.0.1:8787
 */
export { createEmulator, allSpecScopes, type Emulator, type TenantOptions } from "./emulator.js";
export { startEmulator, type AdminApiMode, type RunningEmulator, type RunningTenant, type StartOptions } from "./server.js";
export { MAX_TENANTS, TENANT_PREFIX } from "./tenants.js";
export type { EmulatorState } from "./controls.js";
export { FaultController } from "./faults.js";
export { ApiError } from "./errors.js";
export { StateFileError } from "./state-file.js";
export { DEFAULT_INSPECTOR_CAPACITY, type InspectedRequest, RequestInspector } from "./inspector.js";
export { ADMIN_PREFIX } from "./admin.js";
export { MAX_PAYLOAD_BYTES } from "./body.js";
export { DEFAULT_RATE_LIMIT } from "./rate-limit.js";
export type { LimitsState, BucketState } from "./limits/limiter.js";
export { LIMIT_PRESETS, type LimitPresetName } from "./limits/presets.js";
export type { EmulatorClock } from "./limits/clock.js";
export type { LimitsControl } from "./emulator.js";
export type {
  EmulatorMiddleware,
  EmulatorOptions,
  FaultOptions,
  FaultRule,
  IssueTokenOptions,
  BucketOption,
  EndpointGroupOption,
  HeaderPolicy,
  LimitsOption,
  LimitsShape,
  OAuthClientOption,
  RateLimitOptions,
  SeedClient,
  SeedClientGrant,
  SeedConnection,
  SeedData,
  SeedLink,
  SeedOrganization,
} from "./types.js";
