/**
 * `GET /client-grants` and `GET /organizations/{id}/client-grants`: the tenant's client grants from the seed
 * (the grants themselves are read-only); `POST /organizations/{id}/client-grants` and
 * `DELETE /organizations/{id}/client-grants/{grant_id}` associate and dissociate one. A grant lists the
 * organizations it is associated with (`organization_ids`, an emulator-only field that is never shown).
 */
import type { ClientGrantRecord } from "../store.js";
import type { HandlersFor } from "./context.js";
import { listReply } from "./list-pages.js";
import { noContent, reply } from "../responses.js";

function grantView({ organization_ids: _organizations, ...grant }: ClientGrantRecord) {
  return grant;
}

/** The `client_id` and `audience` filters both lists take. */
function matchesFilters({ client_id: clientId, audience }: { client_id?: string; audience?: string }): (grant: ClientGrantRecord) => boolean {
  return (grant) => (clientId === undefined || grant.client_id === clientId) && (audience === undefined || grant.audience === audience);
}

export const clientGrantHandlers = {
  listClientGrants: (context) => listReply(context, "listClientGrants", context.store.listClientGrants().filter(matchesFilters(context.query)), grantView),

  listOrganizationClientGrants: (context) => {
    const organizationId = context.store.getOrganization(context.params.id).id;
    const grantIds = context.query.grant_ids;
    const matching = context.store
      .listClientGrants()
      .filter((grant) => grant.organization_ids.includes(organizationId) && (grantIds === undefined || grantIds.includes(grant.id)))
      .filter(matchesFilters(context.query));
    return listReply(context, "listOrganizationClientGrants", matching, grantView);
  },

  createOrganizationClientGrant: (context) => {
    const grant = context.store.associateClientGrant(context.params.id, context.body.grant_id);
    return reply(201, associationView(grant));
  },

  deleteOrganizationClientGrant: (context) => {
    context.store.dissociateClientGrant(context.params.id, context.params.grant_id);
    return noContent();
  },
} satisfies HandlersFor<"listClientGrants" | "listOrganizationClientGrants" | "createOrganizationClientGrant" | "deleteOrganizationClientGrant">;

/** The association answer as recorded: the grant's id as `grant_id`, and its organization settings only when it has them. */
function associationView(grant: ClientGrantRecord) {
  const { id, client_id, audience, scope, organization_usage, allow_any_organization } = grant;
  return {
    grant_id: id,
    client_id,
    audience,
    scope,
    ...(organization_usage === undefined ? {} : { organization_usage }),
    ...(allow_any_organization === undefined ? {} : { allow_any_organization }),
  };
}
