/**
 * What the dashboard lists, read straight from a tenant's store (reads change nothing, so they need no API rules;
 * every change the page makes goes through the Management API instead). Searching and paging happen here, so a
 * tenant of 10,000 organizations sends the page 50 at a time.
 */
import type { TenantStore } from "../store.js";

export const DASHBOARD_PAGE_SIZE = 50;

export interface OrganizationRow {
  id: string;
  name: string;
  display_name?: string;
  connections: number;
}

/** One page of the organizations whose id, name or display name contains `query` (any case), in the order they were made. */
export function organizationsPage(
  store: TenantStore,
  query: string,
  page: number,
): { total: number; page: number; per_page: number; organizations: OrganizationRow[] } {
  const needle = query.trim().toLowerCase();
  const matching = [...store.data.organizations.values()].filter(
    (org) =>
      needle === "" ||
      org.id.toLowerCase().includes(needle) ||
      org.name.toLowerCase().includes(needle) ||
      (org.display_name ?? "").toLowerCase().includes(needle),
  );
  const lastPage = Math.max(0, Math.ceil(matching.length / DASHBOARD_PAGE_SIZE) - 1);
  const current = Math.min(Math.max(0, Math.floor(page)), lastPage);
  const rows = matching.slice(current * DASHBOARD_PAGE_SIZE, (current + 1) * DASHBOARD_PAGE_SIZE).map((org) => ({
    id: org.id,
    name: org.name,
    ...(org.display_name === undefined ? {} : { display_name: org.display_name }),
    connections: store.data.links.get(org.id)?.size ?? 0,
  }));
  return { total: matching.length, page: current, per_page: DASHBOARD_PAGE_SIZE, organizations: rows };
}

/** Every connection, with the organizations it is enabled for. */
export function connectionsWithOrganizations(store: TenantStore) {
  const usedBy = new Map<string, Array<{ id: string; name: string }>>();
  for (const [organizationId, links] of store.data.links) {
    const organization = store.data.organizations.get(organizationId);
    if (!organization) continue;
    for (const connectionId of links.keys()) {
      let list = usedBy.get(connectionId);
      if (!list) usedBy.set(connectionId, (list = []));
      list.push({ id: organization.id, name: organization.name });
    }
  }
  return [...store.data.connections.values()].map((connection) => ({
    id: connection.id,
    name: connection.name,
    strategy: connection.strategy,
    ...(connection.display_name === undefined ? {} : { display_name: connection.display_name }),
    organizations: usedBy.get(connection.id) ?? [],
  }));
}

/** The applications (never their secrets or token scopes) and the client grants, each grant with its organizations. */
export function applicationsAndGrants(store: TenantStore) {
  const organizationName = (id: string) => store.data.organizations.get(id)?.name ?? id;
  return {
    applications: [...store.data.clients.values()].map(({ client_secret: _secret, scopes: _scopes, ...client }) => client),
    client_grants: [...store.data.clientGrants.values()].map(({ organization_ids, ...grant }) => ({
      ...grant,
      organizations: organization_ids.map((id) => ({ id, name: organizationName(id) })),
    })),
  };
}
