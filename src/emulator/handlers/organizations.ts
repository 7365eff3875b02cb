/**
 * `/organizations`, `/organizations/{id}` and `/organizations/name/{name}`: the list (both paging styles), creation
 * (with links), reading by id or name, `PATCH` (which answers with the whole organization) and deletion.
 */
import { noContent, reply } from "../responses.js";
import { enabledConnectionView } from "../views.js";
import type { HandlersFor } from "./context.js";
import { listReply } from "./list-pages.js";

export const organizationHandlers = {
  listOrganizations: (context) => listReply(context, "listOrganizations", [...context.store.data.organizations.values()], (organization) => organization),
  createOrganization: ({ store, body }) => {
    const { organization, links } = store.createOrganization(body);
    if (links.length === 0) return reply(201, organization);
    // Linked connections are answered the way the enabled_connections family shows them.
    return reply(201, { ...organization, enabled_connections: links.map((link) => enabledConnectionView(link, store.getConnection(link.connection_id))) });
  },
  getOrganization: (context) => reply(200, context.store.getOrganization(context.params.id)),
  getOrganizationByName: (context) => reply(200, context.store.getOrganizationByName(context.params.name)),
  updateOrganization: (context) => reply(200, context.store.updateOrganization(context.params.id, context.body)),
  deleteOrganization: (context) => {
    context.store.deleteOrganization(context.params.id);
    return noContent();
  },
} satisfies HandlersFor<"listOrganizations" | "createOrganization" | "getOrganization" | "getOrganizationByName" | "updateOrganization" | "deleteOrganization">;
