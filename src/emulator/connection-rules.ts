/**
 * Rules live tenants were recorded applying to a connection's settings when it is created or updated, beyond
 * what the request schema checks. Behaviour, not contract (the spec keeps `options` free-form), so it lives
 * here. Each broken rule is a 400 with the recorded message.
 *
 * Database (`auth0`) connections with `options.attributes` (flexible identifiers):
 * - `attributes` cannot be combined with `options.validation`, nor with `options.requires_username: true`;
 * - at least one attribute must be an active identifier, and an active identifier must be required on signup;
 * - an update cannot add an `email` attribute with `unique: false` to a connection that had no email attribute
 *   (creating one with it, or keeping an existing one, was accepted).
 *
 * `cross_app_access_requesting_app: { active: true }` was accepted on `oidc` connections only; `auth0` answered
 * `operation_not_supported`. Other strategies are unrecorded and treated like `auth0`.
 *
 * MCP connections (strategies named `<service>-mcp`) must end up with `connected_accounts.active: true` and
 * `authentication.active: false`, else 422: unrecorded, but the one 422 case Auth0's published document gives.
 */
import { isDatabaseStrategy } from "./strategies.js";
import { invalidBody, operationNotSupported, unprocessable } from "./errors.js";

type Options = Record<string, unknown>;
type Attribute = { identifier?: { active?: boolean }; signup?: { status?: string }; unique?: boolean };

const REQUESTING_APP_STRATEGIES = new Set(["oidc"]);

function attributesOf(options: Options | null | undefined): Record<string, Attribute> | undefined {
  const attributes = options?.attributes;
  return typeof attributes === "object" && attributes !== null ? (attributes as Record<string, Attribute>) : undefined;
}

function checkAttributes(options: Options | null | undefined, previous: Options | undefined): void {
  const attributes = attributesOf(options);
  if (!attributes || !options) return;
  if (options.validation !== undefined) throw invalidBody("Cannot set both options.attributes and options.validation");
  if (options.requires_username === true) throw invalidBody("Cannot set both options.attributes and options.requires_username");
  const identifiers = Object.entries(attributes).filter(([, attribute]) => attribute?.identifier?.active === true);
  if (identifiers.length === 0) throw invalidBody("attributes must contain one active identifier");
  for (const [name, attribute] of identifiers) {
    if (attribute.signup?.status !== "required") throw invalidBody(`attribute ${name} must also be required on signup`);
  }
  if (previous && attributes.email?.unique === false && !attributesOf(previous)?.email) throw invalidBody("cannot add non-unique email attribute");
}

const MCP_PURPOSES_MESSAGE = "MCP connections must have connected_accounts.active set to true and authentication.active set to false";
const isMcpStrategy = (strategy: string) => strategy.endsWith("-mcp");

export interface ConnectionChange {
  strategy: string;
  /** The options sent (undefined when the request leaves them alone). */
  options?: Options | null;
  crossAppAccessRequestingApp?: { active: boolean };
  /** The stored options before an update; undefined when creating. */
  previousOptions?: Options;
  /** The connection's purposes once the change is applied (left out: the service's defaults, authentication only). */
  authentication?: { active: boolean };
  connectedAccounts?: { active: boolean };
}

/** Throws the 400 the live service answers when a create or update breaks one of the rules above. */
export function assertConnectionRules(change: ConnectionChange): void {
  if (change.crossAppAccessRequestingApp?.active === true && !REQUESTING_APP_STRATEGIES.has(change.strategy)) {
    throw operationNotSupported("Cross App Access Requesting App is not supported for this connection.");
  }
  if (isDatabaseStrategy(change.strategy)) checkAttributes(change.options, change.previousOptions);
  if (isMcpStrategy(change.strategy) && !(change.connectedAccounts?.active === true && change.authentication?.active === false)) {
    throw unprocessable(MCP_PURPOSES_MESSAGE);
  }
}
