/**
 * The organization operations configuration tools and onboarding code need around the links: the list (both
 * paging styles), the lookup by name, and `PATCH /organizations/{id}`, which answers with the whole organization.
 */
import { reply } from "../responses.js";
import type { HandlersFor } from "./context.js";
import { listReply } from "./list-pages.js";

export const organizationAdminHandlers = {
  listOrganizations: (context) => listReply(context, "listOrganizations", [...context.store.data.organizations.values()], (organization) => organization),

  getOrganizationByName: (context) => reply(200, context.store.getOrganizationByName(context.params.name)),

  updateOrganization: (context) => reply(200, context.store.updateOrganization(context.params.id, context.body)),
} satisfies HandlersFor<"listOrganizations" | "getOrganizationByName" | "updateOrganization">;
