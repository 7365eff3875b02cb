/** `/organizations` and `/organizations/{id}`. */
import { noContent, reply } from "../responses.js";
import { enabledConnectionView } from "../views.js";
import type { HandlersFor } from "./context.js";

export const organizationHandlers = {
  createOrganization: ({ store, body }) => {
    const { organization, links } = store.createOrganization(body);
    if (links.length === 0) return reply(201, organization);
    // Linked connections are answered the way the enabled_connections family shows them.
    return reply(201, { ...organization, enabled_connections: links.map((link) => enabledConnectionView(link, store.getConnection(link.connection_id))) });
  },
  getOrganization: (context) => reply(200, context.store.getOrganization(context.params.id)),
  deleteOrganization: (context) => {
    context.store.deleteOrganization(context.params.id);
    return noContent();
  },
} satisfies HandlersFor<"createOrganization" | "getOrganization" | "deleteOrganization">;
