/**
 * `/organizations/{id}/enabled_connections[/{connectionId}]`: the older family's view of the links. With
 * `include_totals=true` its `limit` is the number of items returned (as recorded from live tenants).
 */
import type { AddEnabledConnectionRequest, UpdateEnabledConnectionRequest } from "../../../generated/schema.js";
import { noContent, reply, replyJson } from "../responses.js";
import { enabledConnectionJson, enabledConnectionView, jsonArray } from "../views.js";
import { type HandlerTable, type OperationContext, paging, param } from "./context.js";

function view(context: OperationContext, connectionId: string) {
  const organizationId = param(context, "id");
  const link = context.store.getLink(organizationId, connectionId);
  return enabledConnectionView(link, context.store.getConnection(link.connection_id));
}

export const enabledConnectionHandlers: HandlerTable = {
  listOrganizationEnabledConnections: (context) => {
    const { store } = context;
    const all = store.listLinks(param(context, "id"));
    const { page, perPage, includeTotals } = paging(context);
    const start = page * perPage;
    const items = all.slice(start, start + perPage).map((link) => enabledConnectionJson(link, store.getConnection(link.connection_id)));
    if (!includeTotals) return replyJson(200, jsonArray(items));
    // The same bytes as JSON.stringify({ enabled_connections, start, limit, total }).
    return replyJson(200, `{"enabled_connections":${jsonArray(items)},"start":${start},"limit":${items.length},"total":${all.length}}`);
  },

  addOrganizationEnabledConnection: (context) => {
    const body = context.body as AddEnabledConnectionRequest;
    const link = context.store.createLink(param(context, "id"), body);
    return reply(201, enabledConnectionView(link, context.store.getConnection(link.connection_id)));
  },

  getOrganizationEnabledConnection: (context) => reply(200, view(context, param(context, "connectionId"))),

  updateOrganizationEnabledConnection: (context) => {
    const connectionId = param(context, "connectionId");
    context.store.updateLink(param(context, "id"), connectionId, context.body as UpdateEnabledConnectionRequest);
    return reply(200, view(context, connectionId));
  },

  deleteOrganizationEnabledConnection: (context) => {
    context.store.deleteLink(param(context, "id"), param(context, "connectionId"));
    return noContent();
  },
};
