/**
 * The facts the emulator takes from the spec rather than restating them: where the Management API's paths start,
 * and the defaults new organizations and links get. Each is read from `generated/` once, and a missing one is a
 * start-up error rather than a silent fallback.
 */
import type { CreateOrganizationConnectionRequest, Organization } from "../../generated/schema.js";
import { API_BASE_PATH } from "../../generated/spec-facts.js";
import { type JsonSchema, loadDereferencedSpec } from "../shared/spec.js";

/** The path every Management API operation hangs off: the path of the spec's server URL (generated/spec-facts.ts). */
export const API_PREFIX = API_BASE_PATH;

const API_PREFIX_SLASH = `${API_PREFIX}/`;

/** Whether a path is the Management API's (rate limited, and logged when no operation serves it). */
export const isApiPath = (path: string) => path.startsWith(API_PREFIX_SLASH) || path === API_PREFIX;

function requestSchemaProperties(name: string): Record<string, JsonSchema> {
  const schema = loadDereferencedSpec().components?.schemas?.[name] as JsonSchema | undefined;
  if (schema === undefined) throw new Error(`The spec has no components.schemas.${name}`);
  return (schema.properties ?? {}) as Record<string, JsonSchema>;
}

/** Every `default` a request schema's properties declare. */
function defaultsOf(name: string): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [property, schema] of Object.entries(requestSchemaProperties(name))) if (schema.default !== undefined) defaults[property] = schema.default;
  return defaults;
}

/** The settings a new link gets when the request leaves them out: the defaults of the spec's create request. */
export type LinkDefaults = Required<
  Pick<CreateOrganizationConnectionRequest, "assign_membership_on_login" | "show_as_button" | "is_signup_enabled" | "is_enabled" | "organization_access_level">
>;

const LINK_DEFAULT_FIELDS = [
  "assign_membership_on_login",
  "show_as_button",
  "is_signup_enabled",
  "is_enabled",
  "organization_access_level",
] as const satisfies ReadonlyArray<keyof LinkDefaults>;

export function linkDefaultsFromSpec(): LinkDefaults {
  const defaults = defaultsOf("CreateOrganizationConnectionRequest");
  const missing = LINK_DEFAULT_FIELDS.filter((field) => defaults[field] === undefined);
  if (missing.length > 0) throw new Error(`The spec's CreateOrganizationConnectionRequest declares no default for ${missing.join(", ")}`);
  return Object.fromEntries(LINK_DEFAULT_FIELDS.map((field) => [field, defaults[field]])) as LinkDefaults;
}

/**
 * The fields a new organization gets when the request leaves them out: every `default` of the spec's
 * `CreateOrganizationRequest` properties (today `third_party_client_access: block`, which tenants created since
 * 2025 answer unasked).
 */
export function organizationDefaultsFromSpec(): Partial<Organization> {
  return defaultsOf("CreateOrganizationRequest");
}
