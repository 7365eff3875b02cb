/**
 * How stored records are shown through each API family. Fields are left out rather than sent as `null`.
 *
 * Both organization-connection families are views of the same links:
 * - `connections` (newer) shows every field of a link.
 * - `enabled_connections` (older) shows every link too, whatever its `is_enabled`, but only the fields it knows
 *   (`assign_membership_on_login`, `show_as_button`, `is_signup_enabled`); `organization_connection_name`,
 *   `organization_access_level` and `is_enabled` are neither shown nor changed through it, and a link it creates
 *   gets the newer family's defaults for them.
 * - Both leave `is_signup_enabled` out for enterprise connections.
 */
import type { Connection, EnabledConnection, OrganizationConnection } from "../../generated/schema.js";
import { RawJson } from "./raw-json.js";
import type { ConnectionRecord, LinkRecord } from "./store.js";
import { fallsBackToNameForDisplay, hasLoginFlags, hasProvisioningTicket, isEnterpriseStrategy } from "./strategies.js";

function connectionSummary(connection: ConnectionRecord) {
  return { name: connection.name, strategy: connection.strategy };
}

/** `is_signup_enabled` is left out for enterprise connections. */
function signup(link: LinkRecord, connection: ConnectionRecord): { is_signup_enabled?: boolean } {
  return isEnterpriseStrategy(connection.strategy) ? {} : { is_signup_enabled: link.is_signup_enabled };
}

export function enabledConnectionView(link: LinkRecord, connection: ConnectionRecord): EnabledConnection {
  return {
    connection_id: link.connection_id,
    assign_membership_on_login: link.assign_membership_on_login,
    ...signup(link, connection),
    show_as_button: link.show_as_button,
    connection: connectionSummary(connection),
  };
}

export function organizationConnectionView(link: LinkRecord, connection: ConnectionRecord): OrganizationConnection {
  return {
    connection_id: link.connection_id,
    ...(link.organization_connection_name === undefined ? {} : { organization_connection_name: link.organization_connection_name }),
    ...signup(link, connection),
    assign_membership_on_login: link.assign_membership_on_login,
    show_as_button: link.show_as_button,
    is_enabled: link.is_enabled,
    organization_access_level: link.organization_access_level,
    connection: connectionSummary(connection),
  };
}

type LinkView = (link: LinkRecord, connection: ConnectionRecord) => object;

/**
 * A link view's JSON, remembered per stored record. Lists are read far more often than links change, and building
 * and serializing every item was most of the time a list request took. Sound because the store never changes a
 * link or connection record in place: an update stores a new record, so a cached entry can only be stale when its
 * record objects differ, which is what the check compares.
 */
function memoizedJson(view: LinkView): (link: LinkRecord, connection: ConnectionRecord) => string {
  const cache = new WeakMap<LinkRecord, { connection: ConnectionRecord; json: string }>();
  return (link, connection) => {
    const hit = cache.get(link);
    if (hit?.connection === connection) return hit.json;
    const json = JSON.stringify(view(link, connection));
    cache.set(link, { connection, json });
    return json;
  };
}

/** `JSON.stringify(enabledConnectionView(link, connection))`, cached. */
export const enabledConnectionJson = memoizedJson(enabledConnectionView);
/** `JSON.stringify(organizationConnectionView(link, connection))`, cached. */
export const organizationConnectionJson = memoizedJson(organizationConnectionView);

/** A JSON array of already serialized items. */
export const jsonArray = (items: readonly string[]): string => `[${items.join(",")}]`;

export interface ConnectionViewOptions {
  /** `options` is shown only to tokens with `read:connections_options`. */
  includeOptions: boolean;
  /** Used to build the `provisioning_ticket_url` of connector and SSO-ticket connections. */
  domain: string;
}

export function connectionView(connection: ConnectionRecord, { includeOptions, domain }: ConnectionViewOptions): Connection {
  const view: Connection = { id: connection.id, name: connection.name, strategy: connection.strategy };
  // The stored text, spliced into the answer as it is (raw-json.ts): no copy, no second serialization.
  if (includeOptions) view.options = new RawJson(connection.optionsJson) as unknown as Connection["options"];
  if (hasProvisioningTicket(connection.strategy)) view.provisioning_ticket_url = `https://${domain}/p/${connection.strategy}/${connection.id.slice(4)}`;
  view.is_domain_connection = connection.is_domain_connection;
  // Enterprise connections always show the button setting (default false); others only once it was set.
  if (connection.show_as_button !== undefined || isEnterpriseStrategy(connection.strategy)) view.show_as_button = connection.show_as_button ?? false;
  if (hasLoginFlags(connection.strategy)) {
    view.authentication = connection.authentication ?? { active: true };
    view.connected_accounts = connection.connected_accounts ?? { active: false };
  }
  const displayName = connection.display_name ?? (fallsBackToNameForDisplay(connection.strategy) ? connection.name : undefined);
  if (displayName !== undefined) view.display_name = displayName;
  view.enabled_clients = [...connection.enabled_clients];
  view.realms = connection.realms && connection.realms.length > 0 ? [...connection.realms] : [connection.name];
  if (connection.metadata !== undefined) view.metadata = structuredClone(connection.metadata);
  if (connection.cross_app_access_resource_app !== undefined) view.cross_app_access_resource_app = { ...connection.cross_app_access_resource_app };
  if (connection.cross_app_access_requesting_app !== undefined) view.cross_app_access_requesting_app = { ...connection.cross_app_access_requesting_app };
  return view;
}
