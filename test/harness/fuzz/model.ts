/**
 * The reference model the stateful fuzzer runs beside the emulator: what the tenant should hold after every call,
 * and what each call should answer. It knows Auth0's rules as the spec and the reference notes describe them —
 * unique names (409), 404 for unknown organizations and connections, the entity limit, the sign-up rule, the
 * defaults a new link gets, and that deleting an organization or a connection removes its links. It is a
 * deliberate test oracle: written apart from src/emulator/store.ts so that a shared mistake cannot hide, where it
 * must say the same thing (applying a link PATCH) it says it in another way.
 */
import type { UpdateOrganizationConnectionRequest } from "../../../generated/schema.js";
import { linkDefaultsFromSpec } from "../../../src/emulator/spec-facts.js";
import type { LinkRecord } from "../../../src/emulator/store.js";
import { isEnterpriseStrategy } from "../../../src/emulator/strategies.js";

export type { LinkFamily } from "../../../src/shared/link-families.js";
import type { LinkFamily } from "../../../src/shared/link-families.js";

/** A link's settings (the stored link without its connection id). */
export type LinkSettings = Omit<LinkRecord, "connection_id">;

export interface ModelConnection {
  name: string;
  strategy: string;
}

/** Settings a new link gets when the request leaves them out (the spec's request schema defaults). */
export const LINK_DEFAULTS: LinkSettings = linkDefaultsFromSpec();

/** Auth0's enterprise strategies (their links carry no `is_signup_enabled`): the emulator's one list of them. */
export const isEnterprise = isEnterpriseStrategy;
const isDatabase = (strategy: string) => strategy === "auth0";

/** An id nothing in the tenant has (and never will: generated ids are 16 random letters). */
export const UNKNOWN_ORG = "org_fuzzunknown00000";
export const UNKNOWN_CONNECTION = "con_fuzzunknown00000";

/**
 * A PATCH as one rule rather than field by field (the store spells it out per field): a value sets the field, a
 * left-out field stays, and `null` puts the field back to what a new link gets — its default, or no field at all.
 */
function patchedLink(current: LinkSettings, patch: LinkPatch): LinkSettings {
  const next: Record<string, unknown> = { ...current };
  const defaults: Record<string, unknown> = LINK_DEFAULTS;
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value !== null) next[field] = value;
    else if (defaults[field] !== undefined) next[field] = defaults[field];
    else delete next[field];
  }
  return next as LinkSettings;
}

export class TenantModel {
  /** Every id ever created, live or deleted, so commands can also aim at what is gone. */
  readonly orgIds: string[] = [];
  readonly connectionIds: string[] = [];
  readonly orgs = new Map<string, string>();
  readonly connections = new Map<string, ModelConnection>();
  readonly links = new Map<string, Map<string, LinkSettings>>();
  /** `org conn` pairs whose link was removed and not made again: they must never show up. */
  readonly gone = new Set<string>();

  constructor(readonly entityLimit: number) {}

  pickOrg(n: number): string {
    const i = n % (this.orgIds.length + 1);
    return this.orgIds[i] ?? UNKNOWN_ORG;
  }

  pickConnection(n: number): string {
    const i = n % (this.connectionIds.length + 1);
    return this.connectionIds[i] ?? UNKNOWN_CONNECTION;
  }

  orgNameTaken(name: string): boolean {
    return [...this.orgs.values()].includes(name);
  }

  connectionNameTaken(name: string): boolean {
    return [...this.connections.values()].some((c) => c.name === name);
  }

  addOrg(id: string, name: string): void {
    this.orgIds.push(id);
    this.orgs.set(id, name);
  }

  addConnection(id: string, connection: ModelConnection): void {
    this.connectionIds.push(id);
    this.connections.set(id, connection);
  }

  deleteOrg(id: string): void {
    for (const connectionId of this.links.get(id)?.keys() ?? []) this.gone.add(`${id} ${connectionId}`);
    this.links.delete(id);
    this.orgs.delete(id);
  }

  deleteConnection(id: string): void {
    for (const [orgId, links] of this.links) if (links.delete(id)) this.gone.add(`${orgId} ${id}`);
    this.connections.delete(id);
  }

  linksOf(orgId: string): Map<string, LinkSettings> {
    let links = this.links.get(orgId);
    if (!links) {
      links = new Map();
      this.links.set(orgId, links);
    }
    return links;
  }

  /** The status creating a link should get, and the link it makes. */
  expectCreateLink(orgId: string, connectionId: string, sent: Partial<LinkSettings>): { status: number; link?: LinkSettings } {
    if (!this.orgs.has(orgId)) return { status: 404 };
    const connection = this.connections.get(connectionId);
    if (!connection) return { status: 404 };
    const links = this.links.get(orgId);
    if (links?.has(connectionId)) return { status: 409 };
    if ((links?.size ?? 0) >= this.entityLimit) return { status: 400 };
    const link: LinkSettings = { ...LINK_DEFAULTS, ...withoutUndefined(sent) };
    if (!signupAllowed(connection, link)) return { status: 400 };
    return { status: 201, link };
  }

  /** The status a PATCH should get, and the link afterwards. */
  expectUpdateLink(orgId: string, connectionId: string, patch: LinkPatch): { status: number; link?: LinkSettings } {
    if (!this.orgs.has(orgId)) return { status: 404 };
    const current = this.links.get(orgId)?.get(connectionId);
    if (!current) return { status: 404 };
    const next = patchedLink(current, patch);
    const touchesRule = patch.is_signup_enabled !== undefined || patch.assign_membership_on_login !== undefined;
    if (touchesRule && !signupAllowed(this.connections.get(connectionId)!, next)) return { status: 400 };
    return { status: 200, link: next };
  }

  /** What a family's list shows of a link. */
  view(family: LinkFamily, connectionId: string, link: LinkSettings): Record<string, unknown> {
    const connection = this.connections.get(connectionId)!;
    const view: Record<string, unknown> = {
      connection_id: connectionId,
      assign_membership_on_login: link.assign_membership_on_login,
      show_as_button: link.show_as_button,
      connection: { name: connection.name, strategy: connection.strategy },
    };
    if (!isEnterprise(connection.strategy)) view.is_signup_enabled = link.is_signup_enabled;
    if (family === "connections") {
      view.is_enabled = link.is_enabled;
      view.organization_access_level = link.organization_access_level;
      if (link.organization_connection_name !== undefined) view.organization_connection_name = link.organization_connection_name;
    }
    return view;
  }

  /** The organization's links as a family lists them, in the order they were made. */
  listed(family: LinkFamily, orgId: string, isEnabled?: boolean): Array<Record<string, unknown>> {
    return [...(this.links.get(orgId) ?? new Map<string, LinkSettings>())]
      .filter(([, link]) => isEnabled === undefined || link.is_enabled === isEnabled)
      .map(([connectionId, link]) => this.view(family, connectionId, link));
  }
}

/** A change to a link, as `PATCH /organizations/{id}/connections/{connection_id}` takes it. */
export type LinkPatch = UpdateOrganizationConnectionRequest;

/** Auth0's rule: only database connections with assign_membership_on_login may have sign-up enabled. */
function signupAllowed(connection: ModelConnection, link: LinkSettings): boolean {
  return !link.is_signup_enabled || (isDatabase(connection.strategy) && link.assign_membership_on_login);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
