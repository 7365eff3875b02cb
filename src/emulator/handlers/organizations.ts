/** `/organizations` and `/organizations/{id}`. */
import type { CreateOrganizationRequest } from "../../../generated/schema.js";
import { noContent, reply } from "../responses.js";
import { type HandlerTable, param } from "./context.js";

export const organizationHandlers: HandlerTable = {
  createOrganization: ({ store, body }) => reply(201, store.createOrganization(body as CreateOrganizationRequest)),
  getOrganization: (context) => reply(200, context.store.getOrganization(param(context, "id"))),
  deleteOrganization: (context) => {
    context.store.deleteOrganization(param(context, "id"));
    return noContent();
  },
};
