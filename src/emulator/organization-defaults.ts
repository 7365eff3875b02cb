/**
 * The fields a new organization gets when the request leaves them out: every `default` of the spec's
 * `CreateOrganizationRequest` properties (today `third_party_client_access: block`, which tenants created since
 * 2025 answer unasked).
 */
import type { Organization } from "../../generated/schema.js";
import { type JsonSchema, loadDereferencedSpec } from "../shared/spec.js";

export function organizationDefaultsFromSpec(): Partial<Organization> {
  const schema = loadDereferencedSpec().components?.schemas?.CreateOrganizationRequest as JsonSchema | undefined;
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) if (property.default !== undefined) defaults[name] = property.default;
  return defaults as Partial<Organization>;
}
