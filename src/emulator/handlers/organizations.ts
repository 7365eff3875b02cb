/** `/organizations` and `/organizations/{id}`. */
import type { CreateOrganizationRequest } from "../../../generated/schema.js";
import { noContent, reply } from "../responses.js";
import { enabledConnectionView } from "../views.js";
import { type HandlerTable, param } from "./context.js";

export const organizationHandlers: HandlerTable = {
  createOrganization: ({ store, body }) => {
    const { organization, links } = store.createOrganization(body as CreateOrganizationRequest);
    if (links.length === 0) return reply(201, organization);
    // Linked connections are answered the way the enabled_connections family shows them.
    return reply(201, { ...organization, enabled_connections: links.map((link) => enabledConnectionView(link, store.getConnection(link.connection_id))) });
  },
  getOrganization: (context) => reply(200, context.store.getOrganization(param(context, "id"))),
  deleteOrganization: (context) => {
    context.store.deleteOrganization(param(context, "id"));
    return noContent();
  },
};
