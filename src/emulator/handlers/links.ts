/**
 * The two families of organization-connection endpoints, which are two views of the same links:
 * `/organizations/{id}/connections[/{connection_id}]` (newer) and `/organizations/{id}/enabled_connections[/{connectionId}]`
 * (older). One set of handlers serves both, driven by a table of what differs between them: the operations, the
 * name of the connection-id parameter, the view (and the list key it goes under), and what `limit` means in a page
 * object. Lists are joined from each link's cached JSON (see views.ts).
 */
import type { ConnectionRecord, LinkRecord, TenantStore } from "../store.js";
import { noContent, type Reply, reply, replyJson } from "../responses.js";
import { enabledConnectionJson, enabledConnectionView, jsonArray, organizationConnectionJson, organizationConnectionView } from "../views.js";
import type { BodyOf, HandlersFor, OperationId, PagingQuery } from "./context.js";
import { paging } from "./context.js";

type LinkRole = "list" | "create" | "get" | "update" | "remove";

/**
 * The last page a family's list served, with what its bytes were made from. Most list requests ask for the page the
 * previous one did, of a tenant that has not changed since: it is then answered with the very same string (which the
 * HTTP transport also encodes only once). Sound because the store never changes a record in place: a change to the
 * organization's links gives `listLinks` a new array, and a changed connection is a new record, compared here.
 */
class ServedPage {
  constructor(
    readonly all: readonly LinkRecord[],
    readonly isEnabled: boolean | undefined,
    readonly page: number,
    readonly perPage: number,
    readonly includeTotals: boolean,
    private readonly links: readonly LinkRecord[],
    private readonly connections: readonly ConnectionRecord[],
    readonly json: string,
  ) {}

  /** Whether every connection shown is still the record it was (the links are, as long as `all` is). */
  unchanged(store: TenantStore): boolean {
    for (let index = 0; index < this.links.length; index += 1) {
      if (store.getConnection(this.links[index]!.connection_id) !== this.connections[index]) return false;
    }
    return true;
  }
}

interface LinkFamilyDefinition {
  operations: Record<LinkRole, OperationId>;
  /** The path parameter that names the linked connection. */
  connectionIdParameter: string;
  /** The key of the items in a page object. */
  listKey: string;
  view: (link: LinkRecord, connection: ReturnType<TenantStore["getConnection"]>) => object;
  /** `JSON.stringify(view(...))`, cached per record. */
  viewJson: (link: LinkRecord, connection: ReturnType<TenantStore["getConnection"]>) => string;
  /**
   * What `limit` is in a page object (`include_totals=true`), as recorded from live tenants: the page size asked for
   * (`per_page`), or the number of items returned.
   */
  limitIs: "per_page" | "items returned";
}

export const LINK_FAMILIES = {
  connections: {
    operations: {
      list: "listOrganizationConnections",
      create: "createOrganizationConnection",
      get: "getOrganizationConnection",
      update: "updateOrganizationConnection",
      remove: "deleteOrganizationConnection",
    },
    connectionIdParameter: "connection_id",
    listKey: "connections",
    view: organizationConnectionView,
    viewJson: organizationConnectionJson,
    limitIs: "per_page",
  },
  enabledConnections: {
    operations: {
      list: "listOrganizationEnabledConnections",
      create: "addOrganizationEnabledConnection",
      get: "getOrganizationEnabledConnection",
      update: "updateOrganizationEnabledConnection",
      remove: "deleteOrganizationEnabledConnection",
    },
    connectionIdParameter: "connectionId",
    listKey: "enabled_connections",
    view: enabledConnectionView,
    viewJson: enabledConnectionJson,
    limitIs: "items returned",
  },
} as const satisfies Record<string, LinkFamilyDefinition>;

/** What the link handlers read of a request, whichever family it came through (the spec gives both these shapes). */
interface LinkRequest {
  store: TenantStore;
  params: { id: string } & Record<string, string>;
  query: Readonly<PagingQuery & { is_enabled?: boolean }>;
}
type CreateLinkRequest = LinkRequest & { body: BodyOf<"createOrganizationConnection"> | BodyOf<"addOrganizationEnabledConnection"> };
type UpdateLinkRequest = LinkRequest & { body: BodyOf<"updateOrganizationConnection"> | BodyOf<"updateOrganizationEnabledConnection"> };

type FamilyHandlers<Family extends LinkFamilyDefinition> = HandlersFor<Family["operations"][LinkRole]>;

function linkFamilyHandlers<Family extends LinkFamilyDefinition>(family: Family): FamilyHandlers<Family> {
  const connectionIdOf = (context: LinkRequest) => context.params[family.connectionIdParameter] as string;
  const shown = (context: LinkRequest, link: LinkRecord) => family.view(link, context.store.getConnection(link.connection_id));

  let lastPage: ServedPage | undefined;
  const list = ({ store, params, query }: LinkRequest): Reply => {
    const all = store.listLinks(params.id);
    const { page, perPage, includeTotals } = paging(query);
    const isEnabled = query.is_enabled;
    const previous = lastPage;
    if (previous?.all === all && previous.isEnabled === isEnabled && previous.page === page && previous.perPage === perPage && previous.includeTotals === includeTotals && previous.unchanged(store)) {
      return replyJson(200, previous.json);
    }
    // Only the newer family has the `is_enabled` filter; validation refuses it on the other.
    const matching = isEnabled === undefined ? all : all.filter((link) => link.is_enabled === isEnabled);
    const start = page * perPage;
    const shownLinks = matching.slice(start, start + perPage);
    const connections = shownLinks.map((link) => store.getConnection(link.connection_id));
    const items = shownLinks.map((link, index) => family.viewJson(link, connections[index]!));
    const limit = family.limitIs === "per_page" ? perPage : items.length;
    // The same bytes as JSON.stringify({ <listKey>, start, limit, total }).
    const json = includeTotals ? `{"${family.listKey}":${jsonArray(items)},"start":${start},"limit":${limit},"total":${matching.length}}` : jsonArray(items);
    lastPage = new ServedPage(all, isEnabled, page, perPage, includeTotals, shownLinks, connections, json);
    return replyJson(200, json);
  };
  const create = (context: CreateLinkRequest): Reply => reply(201, shown(context, context.store.createLink(context.params.id, context.body)));
  const get = (context: LinkRequest): Reply => reply(200, shown(context, context.store.getLink(context.params.id, connectionIdOf(context))));
  const update = (context: UpdateLinkRequest): Reply => reply(200, shown(context, context.store.updateLink(context.params.id, connectionIdOf(context), context.body)));
  const remove = (context: LinkRequest): Reply => {
    context.store.deleteLink(context.params.id, connectionIdOf(context));
    return noContent();
  };
  const byRole = { list, create, get, update, remove };
  // The keys are the family's operationIds; the handler types are the table's (checked in table.ts).
  return Object.fromEntries(Object.entries(family.operations).map(([role, operationId]) => [operationId, byRole[role as keyof typeof byRole]])) as unknown as FamilyHandlers<Family>;
}

export const organizationConnectionHandlers = linkFamilyHandlers(LINK_FAMILIES.connections);
export const enabledConnectionHandlers = linkFamilyHandlers(LINK_FAMILIES.enabledConnections);
