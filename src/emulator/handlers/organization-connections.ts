/**
 * `/organizations/{id}/connections[/{connection_id}]`: the newer family's view of the links, with the `is_enabled`
 * filter. With `include_totals=true` its `limit` is `per_page` and `start` is `page × per_page`.
 */
import type { CreateOrganizationConnectionRequest, UpdateOrganizationConnectionRequest } from "../../../generated/schema.js";
import { noContent, reply, replyJson } from "../responses.js";
import { jsonArray, organizationConnectionJson, organizationConnectionView } from "../views.js";
import { type HandlerTable, type OperationContext, paging, param } from "./context.js";

function view(context: OperationContext, connectionId: string) {
  const link = context.store.getLink(param(context, "id"), connectionId);
  return organizationConnectionView(link, context.store.getConnection(link.connection_id));
}

export const organizationConnectionHandlers: HandlerTable = {
  listOrganizationConnections: (context) => {
    const { store } = context;
    const isEnabled = context.query.is_enabled as boolean | undefined;
    const all = store.listLinks(param(context, "id"));
    const matching = isEnabled === undefined ? all : all.filter((link) => link.is_enabled === isEnabled);
    const { page, perPage, includeTotals } = paging(context);
    const start = page * perPage;
    const items = jsonArray(matching.slice(start, start + perPage).map((link) => organizationConnectionJson(link, store.getConnection(link.connection_id))));
    if (!includeTotals) return replyJson(200, items);
    // The same bytes as JSON.stringify({ connections, start, limit, total }).
    return replyJson(200, `{"connections":${items},"start":${start},"limit":${perPage},"total":${matching.length}}`);
  },

  createOrganizationConnection: (context) => {
    const link = context.store.createLink(param(context, "id"), context.body as CreateOrganizationConnectionRequest);
    return reply(201, organizationConnectionView(link, context.store.getConnection(link.connection_id)));
  },

  getOrganizationConnection: (context) => reply(200, view(context, param(context, "connection_id"))),

  updateOrganizationConnection: (context) => {
    const connectionId = param(context, "connection_id");
    context.store.updateLink(param(context, "id"), connectionId, context.body as UpdateOrganizationConnectionRequest);
    return reply(200, view(context, connectionId));
  },

  deleteOrganizationConnection: (context) => {
    context.store.deleteLink(param(context, "id"), param(context, "connection_id"));
    return noContent();
  },
};
