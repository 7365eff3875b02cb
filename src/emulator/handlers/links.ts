/**
 * The two families of organization-connection endpoints, which are two views of the same links:
 * `/organizations/{id}/connections[/{connection_id}]` (newer) and `/organizations/{id}/enabled_connections[/{connectionId}]`
 * (older). One set of handlers serves both, driven by a table of what differs between them: the operations, the view,
 * and what `limit` means in a page object; the name of the connection-id parameter and the list key come from the
 * spec (generated/spec-facts.ts). Lists are joined from each link's cached JSON (see views.ts).
 */
import { OPERATIONS, type OperationFacts } from "../../../generated/spec-facts.js";
import type { LinkRecord, TenantStore } from "../store.js";
import { noContent, type Reply, reply, replyJson } from "../responses.js";
import { enabledConnectionJson, enabledConnectionView, jsonArray, organizationConnectionJson, organizationConnectionView } from "../views.js";
import type { BodyOf, HandlersFor, OperationId, PagingQuery } from "./context.js";
import { paging } from "./context.js";

type LinkRole = "list" | "create" | "get" | "update" | "remove";

interface LinkFamilyDefinition {
  operations: Record<LinkRole, OperationId>;
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

/** One fact of an operation's from the spec; a missing one is a start-up error rather than a silent fallback. */
function specFact(operationId: OperationId, read: (facts: OperationFacts) => string | undefined): string {
  const fact = read(OPERATIONS[operationId]);
  if (fact === undefined) throw new Error(`The spec's ${operationId} lacks a fact the link handlers need`);
  return fact;
}

type FamilyHandlers<Family extends LinkFamilyDefinition> = HandlersFor<Family["operations"][LinkRole]>;

function linkFamilyHandlers<Family extends LinkFamilyDefinition>(family: Family): FamilyHandlers<Family> {
  // The path parameter after the organization's id names the linked connection (`connection_id`, `connectionId`).
  const connectionIdParameter = specFact(family.operations.get, (facts) => facts.pathParameters[1]);
  const listKey = specFact(family.operations.list, (facts) => facts.listKey);
  const connectionIdOf = (context: LinkRequest) => context.params[connectionIdParameter] as string;
  const shown = (context: LinkRequest, link: LinkRecord) => family.view(link, context.store.getConnection(link.connection_id));

  const list = ({ store, params, query }: LinkRequest): Reply => {
    const all = store.listLinks(params.id);
    // Only the newer family has the `is_enabled` filter; validation refuses it on the other.
    const matching = query.is_enabled === undefined ? all : all.filter((link) => link.is_enabled === query.is_enabled);
    const { page, perPage, includeTotals } = paging(query);
    const start = page * perPage;
    const items = matching.slice(start, start + perPage).map((link) => family.viewJson(link, store.getConnection(link.connection_id)));
    if (!includeTotals) return replyJson(200, jsonArray(items));
    const limit = family.limitIs === "per_page" ? perPage : items.length;
    // The same bytes as JSON.stringify({ <listKey>, start, limit, total }).
    return replyJson(200, `{"${listKey}":${jsonArray(items)},"start":${start},"limit":${limit},"total":${matching.length}}`);
  };
  const create = (context: CreateLinkRequest): Reply => reply(201, shown(context, context.store.createLink(context.params.id, context.body)));
  const get = (context: LinkRequest): Reply => reply(200, shown(context, context.store.getLink(context.params.id, connectionIdOf(context))));
  const update = (context: UpdateLinkRequest): Reply =>
    reply(200, shown(context, context.store.updateLink(context.params.id, connectionIdOf(context), context.body)));
  const remove = (context: LinkRequest): Reply => {
    context.store.deleteLink(context.params.id, connectionIdOf(context));
    return noContent();
  };
  const byRole = { list, create, get, update, remove };
  // The keys are the family's operationIds; the handler types are the table's (checked in table.ts).
  return Object.fromEntries(
    Object.entries(family.operations).map(([role, operationId]) => [operationId, byRole[role as keyof typeof byRole]]),
  ) as unknown as FamilyHandlers<Family>;
}

export const organizationConnectionHandlers = linkFamilyHandlers(LINK_FAMILIES.connections);
export const enabledConnectionHandlers = linkFamilyHandlers(LINK_FAMILIES.enabledConnections);
