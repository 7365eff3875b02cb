/**
 * `GET /client-grants` and `GET /organizations/{id}/client-grants`: the tenant's client grants from the seed,
 * read-only. A grant lists the organizations it is associated with (`organization_ids`, an emulator-only field
 * that is never shown).
 */
import type { ClientGrantRecord } from "../store.js";
import { type HandlerTable, type OperationContext, param } from "./context.js";
import { listReply, repeated } from "./list-pages.js";

function grantView({ organization_ids: _organizations, ...grant }: ClientGrantRecord) {
  return grant;
}

/** The `client_id` and `audience` filters both lists take. */
function matchesFilters(context: OperationContext): (grant: ClientGrantRecord) => boolean {
  const clientId = context.query.client_id as string | undefined;
  const audience = context.query.audience as string | undefined;
  return (grant) => (clientId === undefined || grant.client_id === clientId) && (audience === undefined || grant.audience === audience);
}

export const clientGrantHandlers: HandlerTable = {
  listClientGrants: (context) => listReply(context, "client_grants", context.store.listClientGrants().filter(matchesFilters(context)), grantView),

  listOrganizationClientGrants: (context) => {
    const organizationId = context.store.getOrganization(param(context, "id")).id;
    const grantIds = repeated(context, "grant_ids");
    const matching = context.store
      .listClientGrants()
      .filter((grant) => grant.organization_ids.includes(organizationId) && (grantIds === undefined || grantIds.includes(grant.id)))
      .filter(matchesFilters(context));
    return listReply(context, "client_grants", matching, grantView);
  },
};
