/**
 * The tenant's state and the rules Auth0 applies when it changes. One set of organization↔connection links backs
 * both API families; the views in `views.ts` decide what each family shows of a link.
 *
 * Every method either succeeds completely or throws an `ApiError` before changing anything. Records are never
 * changed in place: an update stores a new record object (the views cache their JSON by record identity).
 */
import { randomBytes } from "node:crypto";
import type {
  AddEnabledConnectionRequest,
  Client,
  ClientGrant,
  CreateConnectionRequest,
  CreateOrganizationConnectionRequest,
  CreateOrganizationRequest,
  Organization,
  OrganizationConnection,
  UpdateConnectionClientsRequest,
  UpdateConnectionRequest,
  UpdateOrganizationConnectionRequest,
  UpdateOrganizationRequest,
} from "../../generated/schema.js";
import { assertConnectionRules } from "./connection-rules.js";
import type { LinkDefaults } from "./spec-facts.js";
import { isDatabaseStrategy, optionsOnCreate, optionsOnUpdate } from "./strategies.js";
import { NOT_FOUND, badRequest, conflict, invalidBody } from "./errors.js";

export type OrganizationRecord = Organization;

/**
 * A stored connection: what `POST /connections` takes, with its id and the fields the service always fills in
 * (`options` with the strategy's defaults, `enabled_clients`, `is_domain_connection`). `realms` is kept as sent;
 * the view falls back to `[name]` when it is empty. `options`, free-form and up to Auth0's 1 MB payload, is kept as
 * its JSON text (see raw-json.ts).
 */
export type ConnectionRecord = Omit<CreateConnectionRequest, "options" | "enabled_clients" | "is_domain_connection"> & {
  id: string;
  optionsJson: string;
  enabled_clients: string[];
  is_domain_connection: boolean;
};

/**
 * A stored link: every setting the `connections` family shows (its `OrganizationConnection` without the connection
 * summary, which comes from the connection). `is_signup_enabled` is always kept; the views leave it out for
 * enterprise connections.
 */
export type LinkRecord = Omit<OrganizationConnection, "connection" | "is_signup_enabled"> & { is_signup_enabled: boolean };

/** An application: the fields the spec describes for it, plus what only the emulator needs (its secret and token scopes). */
export interface ClientRecord extends Client {
  client_id: string;
  client_secret?: string;
  scopes?: string[];
}

/** A client grant, and the organizations it is associated with (`GET /organizations/{id}/client-grants`). */
export interface ClientGrantRecord extends ClientGrant {
  organization_ids: string[];
}

/** Plain data only (snapshots are deep copies of it). Changed only through `put`/`remove`, which can be undone. */
export interface TenantData {
  organizations: Map<string, OrganizationRecord>;
  connections: Map<string, ConnectionRecord>;
  /** organization id → connection id → link */
  links: Map<string, Map<string, LinkRecord>>;
  clients: Map<string, ClientRecord>;
  clientGrants: Map<string, ClientGrantRecord>;
}

export const SIGNUP_RULE_MESSAGE = "Only database connections with assign_membership_on_login = true support is_signup_enabled = true.";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Auth0-looking ids: a prefix and 16 letters or digits (`org_bCE84ZIRjtX58FeO`). */
export function newId(prefix: string): string {
  const bytes = randomBytes(16);
  let id = `${prefix}_`;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

export function emptyTenant(): TenantData {
  return { organizations: new Map(), connections: new Map(), links: new Map(), clients: new Map(), clientGrants: new Map() };
}

export class TenantStore {
  data: TenantData = emptyTenant();
  /** Link lists as arrays, rebuilt only after a change (lists of 10,000 links are read far more than written). */
  private linkArrays = new WeakMap<Map<string, LinkRecord>, LinkRecord[]>();
  /** How to undo the writes of the change in progress (see `atomically`); undefined outside one. */
  #undo: Array<() => void> | undefined;
  /** Told after every change that took effect (a state file, the dashboard); a change undone is never told. */
  readonly #changeListeners = new Set<() => void>();
  /** Whether the change in progress has written anything (told once it succeeds). */
  #changedInside = false;

  constructor(
    private readonly linkDefaults: LinkDefaults,
    private readonly settings: { entityLimit: number },
    /** Fields a new organization gets when the request leaves them out (the spec's request schema defaults). */
    private readonly organizationDefaults: Partial<OrganizationRecord> = {},
  ) {}

  // ---- organizations -------------------------------------------------------------------------------------

  /**
   * Creates the organization and, when the body lists `enabled_connections`, links them with the link endpoints'
   * defaults and rules: all of them or, when one fails (unknown connection 404, listed twice 409, sign-up rule or
   * entity limit 400), nothing at all. The stored record keeps no `enabled_connections` (`GET` does not show them).
   */
  createOrganization(body: CreateOrganizationRequest & { id?: string }): { organization: OrganizationRecord; links: LinkRecord[] } {
    const { enabled_connections: toLink, ...fields } = body;
    if (!toLink || toLink.length === 0) return { organization: this.insertOrganization(fields), links: [] };
    return this.atomically(() => {
      const organization = this.insertOrganization(fields);
      return { organization, links: toLink.map((item) => this.createLink(organization.id, item)) };
    });
  }

  private insertOrganization(body: Omit<CreateOrganizationRequest, "enabled_connections"> & { id?: string }): OrganizationRecord {
    for (const org of this.data.organizations.values()) {
      if (org.name === body.name && org.id !== body.id) throw conflict("An organization with this name already exists.");
    }
    // Echo what was sent plus the id, with the defaults newer tenants fill in (as the live service does).
    const record: OrganizationRecord = { ...structuredClone(this.organizationDefaults), ...structuredClone(body), id: body.id ?? newId("org") };
    this.put(this.data.organizations, record.id, record);
    return record;
  }

  getOrganization(id: string): OrganizationRecord {
    const org = this.data.organizations.get(id);
    if (!org) throw NOT_FOUND.organization();
    return org;
  }

  /** The organization with this unique name (not its display name). */
  getOrganizationByName(name: string): OrganizationRecord {
    for (const org of this.data.organizations.values()) if (org.name === name) return org;
    throw NOT_FOUND.organization();
  }

  /**
   * Applies a change and returns the whole organization after it. Fields left out keep their value; `metadata` is
   * replaced whole and removed when `{}` or `null` (as recorded), `token_quota: null` removes the quota.
   */
  updateOrganization(id: string, patch: UpdateOrganizationRequest): OrganizationRecord {
    const current = this.getOrganization(id);
    if (patch.name !== undefined && patch.name !== current.name) {
      for (const org of this.data.organizations.values()) {
        if (org.name === patch.name) throw conflict("An organization with this name already exists.");
      }
    }
    const { metadata, token_quota, ...rest } = structuredClone(patch);
    const next: OrganizationRecord & Record<string, unknown> = { ...structuredClone(current), ...withoutUndefined(rest) };
    if (metadata === null || (metadata !== undefined && Object.keys(metadata).length === 0)) delete next.metadata;
    else if (metadata !== undefined) next.metadata = metadata;
    if (token_quota === null) delete next.token_quota;
    else if (token_quota !== undefined) next.token_quota = token_quota;
    this.put(this.data.organizations, id, next);
    return next;
  }

  /** Removes the organization, its links and its client grant associations; an unknown organization is a 404 (recorded from live tenants). */
  deleteOrganization(id: string): void {
    this.getOrganization(id);
    this.remove(this.data.links, id);
    for (const grant of this.data.clientGrants.values()) {
      if (grant.organization_ids.includes(id))
        this.put(this.data.clientGrants, grant.id, { ...grant, organization_ids: grant.organization_ids.filter((o) => o !== id) });
    }
    this.remove(this.data.organizations, id);
  }

  // ---- connections ---------------------------------------------------------------------------------------

  createConnection(body: CreateConnectionRequest & { id?: string }): ConnectionRecord {
    for (const existing of this.data.connections.values()) {
      if (existing.name === body.name && existing.id !== body.id) throw conflict("A connection with the same name already exists");
    }
    assertConnectionRules({
      strategy: body.strategy,
      options: body.options,
      crossAppAccessRequestingApp: body.cross_app_access_requesting_app,
      authentication: body.authentication,
      connectedAccounts: body.connected_accounts,
    });
    // `options` is not copied: it is written out as text at once.
    const { options, ...withoutOptions } = body;
    const { enabled_clients, is_domain_connection, id, ...rest } = structuredClone(withoutOptions);
    const record: ConnectionRecord = {
      ...rest,
      id: id ?? newId("con"),
      optionsJson: JSON.stringify(optionsOnCreate(body.strategy, options)),
      enabled_clients: [...new Set(enabled_clients ?? [])],
      is_domain_connection: is_domain_connection ?? false,
    };
    this.put(this.data.connections, record.id, record);
    return record;
  }

  getConnection(id: string): ConnectionRecord {
    const connection = this.data.connections.get(id);
    if (!connection) throw NOT_FOUND.connection();
    return connection;
  }

  updateConnection(id: string, patch: UpdateConnectionRequest): ConnectionRecord {
    const current = this.getConnection(id);
    assertConnectionRules({
      strategy: current.strategy,
      options: patch.options,
      crossAppAccessRequestingApp: patch.cross_app_access_requesting_app,
      previousOptions: patch.options === undefined ? undefined : (JSON.parse(current.optionsJson) as Record<string, unknown>),
      authentication: patch.authentication ?? current.authentication,
      connectedAccounts: patch.connected_accounts ?? current.connected_accounts,
    });
    const next: ConnectionRecord = structuredClone(current);
    // Left out, `display_name` is reset (the view then shows nothing, or `name` for strategies that fall back to it).
    if (patch.display_name === undefined) delete next.display_name;
    else next.display_name = patch.display_name;
    if (patch.options !== undefined) next.optionsJson = JSON.stringify(optionsOnUpdate(current.strategy, patch.options));
    if (patch.enabled_clients !== undefined) next.enabled_clients = [...new Set(patch.enabled_clients ?? [])];
    if (patch.is_domain_connection !== undefined) next.is_domain_connection = patch.is_domain_connection;
    if (patch.show_as_button !== undefined) next.show_as_button = patch.show_as_button;
    if (patch.realms !== undefined) next.realms = [...patch.realms];
    if (patch.metadata !== undefined) next.metadata = structuredClone(patch.metadata);
    if (patch.authentication !== undefined) next.authentication = { ...patch.authentication };
    if (patch.connected_accounts !== undefined) next.connected_accounts = { ...patch.connected_accounts };
    if (patch.cross_app_access_resource_app === null) delete next.cross_app_access_resource_app;
    else if (patch.cross_app_access_resource_app !== undefined) next.cross_app_access_resource_app = { ...patch.cross_app_access_resource_app };
    if (patch.cross_app_access_requesting_app !== undefined) next.cross_app_access_requesting_app = { ...patch.cross_app_access_requesting_app };
    this.put(this.data.connections, id, next);
    return next;
  }

  /** Deletes the connection and unlinks it from every organization; false when it did not exist. */
  deleteConnection(id: string): boolean {
    if (!this.remove(this.data.connections, id)) return false;
    for (const links of this.data.links.values()) {
      if (this.remove(links, id)) this.linkArrays.delete(links);
    }
    return true;
  }

  updateConnectionClients(id: string, changes: UpdateConnectionClientsRequest): void {
    const connection = this.getConnection(id);
    const enabled = new Set(connection.enabled_clients);
    for (const { client_id, status } of changes) {
      if (status) enabled.add(client_id);
      else enabled.delete(client_id);
    }
    this.put(this.data.connections, id, { ...connection, enabled_clients: [...enabled] });
  }

  // ---- links ---------------------------------------------------------------------------------------------

  /**
   * The organization's links in the order they were made (a stable order a client can page through; the live
   * service's order is not documented). Throws 404 for an unknown organization.
   */
  listLinks(organizationId: string): LinkRecord[] {
    this.getOrganization(organizationId);
    const links = this.data.links.get(organizationId);
    if (!links) return [];
    let list = this.linkArrays.get(links);
    if (!list) {
      list = [...links.values()];
      this.linkArrays.set(links, list);
    }
    return list;
  }

  getLink(organizationId: string, connectionId: string): LinkRecord {
    this.getOrganization(organizationId);
    const link = this.data.links.get(organizationId)?.get(connectionId);
    if (!link) throw NOT_FOUND.link();
    return link;
  }

  createLink(organizationId: string, body: CreateOrganizationConnectionRequest | AddEnabledConnectionRequest): LinkRecord {
    this.getOrganization(organizationId);
    const connection = this.data.connections.get(body.connection_id);
    if (!connection) throw NOT_FOUND.connectionToLink();
    const links = this.data.links.get(organizationId) ?? new Map<string, LinkRecord>();
    if (links.has(body.connection_id)) throw conflict("The organization connection already exists.");
    if (links.size >= this.settings.entityLimit) {
      throw badRequest(`An organization can have at most ${this.settings.entityLimit} connections.`);
    }
    const link: LinkRecord = { ...this.linkDefaults, ...withoutUndefined(body) };
    assertSignupRule(connection, link);
    this.put(links, link.connection_id, link);
    this.put(this.data.links, organizationId, links);
    this.linkArrays.delete(links);
    return link;
  }

  updateLink(organizationId: string, connectionId: string, patch: UpdateOrganizationConnectionRequest): LinkRecord {
    const current = this.getLink(organizationId, connectionId);
    const next: LinkRecord = { ...current };
    if (patch.assign_membership_on_login !== undefined) next.assign_membership_on_login = patch.assign_membership_on_login;
    if (patch.show_as_button !== undefined) next.show_as_button = patch.show_as_button;
    if (patch.is_signup_enabled !== undefined) next.is_signup_enabled = patch.is_signup_enabled;
    // `null` resets: the name is removed, the access level returns to its default, the link is enabled again.
    if (patch.organization_connection_name === null) delete next.organization_connection_name;
    else if (patch.organization_connection_name !== undefined) next.organization_connection_name = patch.organization_connection_name;
    if (patch.organization_access_level !== undefined)
      next.organization_access_level = patch.organization_access_level ?? this.linkDefaults.organization_access_level;
    if (patch.is_enabled !== undefined) next.is_enabled = patch.is_enabled ?? this.linkDefaults.is_enabled;
    // Checked only when the request touches one of the two settings the rule is about.
    if (patch.is_signup_enabled !== undefined || patch.assign_membership_on_login !== undefined) {
      const connection = this.data.connections.get(connectionId);
      if (connection) assertSignupRule(connection, next);
    }
    const links = this.data.links.get(organizationId)!;
    this.put(links, connectionId, next);
    this.linkArrays.delete(links);
    return next;
  }

  /** Unlinks; deleting a link that does not exist is not an error (Auth0 answers 204 twice). */
  deleteLink(organizationId: string, connectionId: string): void {
    this.getOrganization(organizationId);
    const links = this.data.links.get(organizationId);
    if (links && this.remove(links, connectionId)) this.linkArrays.delete(links);
  }

  // ---- applications --------------------------------------------------------------------------------------

  upsertClient(client: ClientRecord): void {
    this.put(this.data.clients, client.client_id, structuredClone(client));
  }

  findClient(clientId: string): ClientRecord | undefined {
    return this.data.clients.get(clientId);
  }

  listClients(): ClientRecord[] {
    return [...this.data.clients.values()];
  }

  upsertClientGrant(grant: ClientGrantRecord): void {
    this.put(this.data.clientGrants, grant.id, structuredClone(grant));
  }

  listClientGrants(): ClientGrantRecord[] {
    return [...this.data.clientGrants.values()];
  }

  getClientGrant(id: string): ClientGrantRecord {
    const grant = this.data.clientGrants.get(id);
    if (!grant) throw NOT_FOUND.clientGrant();
    return grant;
  }

  /** Associates the grant with the organization: 404 for an unknown organization or grant, 409 when it already is. */
  associateClientGrant(organizationId: string, grantId: string): ClientGrantRecord {
    this.getOrganization(organizationId);
    const grant = this.getClientGrant(grantId);
    if (grant.organization_ids.includes(organizationId)) throw conflict("The client grant is already associated with the organization.");
    const next: ClientGrantRecord = { ...grant, organization_ids: [...grant.organization_ids, organizationId] };
    this.put(this.data.clientGrants, grantId, next);
    return next;
  }

  /** Ends the association; one that does not exist (or an unknown grant) is not an error, an unknown organization is a 404. */
  dissociateClientGrant(organizationId: string, grantId: string): void {
    this.getOrganization(organizationId);
    const grant = this.data.clientGrants.get(grantId);
    if (!grant?.organization_ids.includes(organizationId)) return;
    this.put(this.data.clientGrants, grantId, { ...grant, organization_ids: grant.organization_ids.filter((o) => o !== organizationId) });
  }

  // ---- whole-state operations ----------------------------------------------------------------------------

  /**
   * Runs `change` and, if it throws, undoes every change it made, so no error (a rule broken half way through a
   * seed, a failure while the answer is built) leaves a half-applied change. Cheap enough for every request: it
   * records how to undo each write as it happens instead of copying the tenant. Nested calls join the outer one.
   */
  atomically<T>(change: () => T): T {
    if (this.#undo) return change();
    const undo: Array<() => void> = [];
    this.#undo = undo;
    this.#changedInside = false;
    let succeeded = false;
    try {
      const result = change();
      succeeded = true;
      return result;
    } catch (error) {
      for (let step = undo.length - 1; step >= 0; step -= 1) undo[step]!();
      this.linkArrays = new WeakMap();
      throw error;
    } finally {
      this.#undo = undefined;
      if (succeeded && this.#changedInside) this.#tellChanged();
    }
  }

  /** Calls `listener` after every change that took effect; returns how to stop. */
  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** A write happened: told now, or once the change in progress succeeds. */
  #changed(): void {
    if (this.#changeListeners.size === 0) return;
    if (this.#undo) this.#changedInside = true;
    else this.#tellChanged();
  }

  #tellChanged(): void {
    for (const listener of this.#changeListeners) listener();
  }

  /** `map.set`, undoable. Replacing a value keeps its place in the map, so undoing it does too. */
  private put<K, V>(map: Map<K, V>, key: K, value: V): void {
    const undo = this.#undo;
    if (undo) {
      if (map.has(key)) {
        const previous = map.get(key) as V;
        undo.push(() => map.set(key, previous));
      } else {
        undo.push(() => map.delete(key));
      }
    }
    map.set(key, value);
    this.#changed();
  }

  /** `map.delete`, undoable: the entries are restored in their order (links are listed in the order they were made). */
  private remove<K, V>(map: Map<K, V>, key: K): boolean {
    const undo = this.#undo;
    if (undo && map.has(key)) {
      const entries = [...map];
      undo.push(() => {
        map.clear();
        for (const [key, value] of entries) map.set(key, value);
      });
    }
    const removed = map.delete(key);
    if (removed) this.#changed();
    return removed;
  }

  clear(): void {
    this.data = emptyTenant();
    this.linkArrays = new WeakMap();
    this.#changed();
  }
}

function assertSignupRule(connection: ConnectionRecord, link: LinkRecord): void {
  if (link.is_signup_enabled && !(isDatabaseStrategy(connection.strategy) && link.assign_membership_on_login)) {
    throw invalidBody(SIGNUP_RULE_MESSAGE);
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
