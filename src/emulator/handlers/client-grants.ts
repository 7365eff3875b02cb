/**
 * `GET /client-grants` and `GET /organizations/{id}/client-grants`: the tenant's client grants from the seed,
 * read-only. A grant lists the organizations it is associated with (`organization_ids`, an emulator-only field
 * that is never shown).
 */
import type { ClientGrantRecord } from "../store.js";
import type { HandlersFor } from "./context.js";
import { listReply } from "./list-pages.js";

function grantView({ organization_ids: _organizations, ...grant }: ClientGrantRecord) {
  return grant;
}

/** The `client_id` and `audience` filters both lists take. */
function matchesFilters({ client_id: clientId, audience }: { client_id?: string; audience?: string }): (grant: ClientGrantRecord) => boolean {
  return (grant) => (clientId === undefined || grant.client_id === clientId) && (audience === undefined || grant.audience === audience);
}

export const clientGrantHandlers = {
  listClientGrants: (context) => listReply(context, "client_grants", context.store.listClientGrants().filter(matchesFilters(context.query)), grantView),

  listOrganizationClientGrants: (context) => {
    const organizationId = context.store.getOrganization(context.params.id).id;
    const grantIds = context.query.grant_ids;
    const matching = context.store
      .listClientGrants()
      .filter((grant) => grant.organization_ids.includes(organizationId) && (grantIds === undefined || grantIds.includes(grant.id)))
      .filter(matchesFilters(context.query));
    return listReply(context, "client_grants", matching, grantView);
  },
} satisfies HandlersFor<"listClientGrants" | "listOrganizationClientGrants">;
