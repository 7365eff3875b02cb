/**
 * The organization operations configuration tools and onboarding code need around the links: the list (both
 * paging styles), the lookup by name, and `PATCH /organizations/{id}`, which answers with the whole organization.
 */
import type { UpdateOrganizationRequest } from "../../../generated/schema.js";
import { reply } from "../responses.js";
import { type HandlerTable, param } from "./context.js";
import { listReply } from "./list-pages.js";

export const organizationAdminHandlers: HandlerTable = {
  listOrganizations: (context) => listReply(context, "organizations", [...context.store.data.organizations.values()], (org) => org),

  getOrganizationByName: (context) => reply(200, context.store.getOrganizationByName(param(context, "name"))),

  updateOrganization: (context) => reply(200, context.store.updateOrganization(param(context, "id"), context.body as UpdateOrganizationRequest)),
};
