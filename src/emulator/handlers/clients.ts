/**
 * `GET /clients`: the tenant's applications from the seed, read-only. An application's secret and token scopes
 * are the emulator's own business and never leave it. Items carry `tenant`, as the live service sends.
 */
import type { ClientRecord, TenantStore } from "../store.js";
import { fieldsReturnedWithIncludeFields, selectFields } from "../field-selection.js";
import type { HandlersFor, OperationContext } from "./context.js";
import { listReply } from "./list-pages.js";
import { invalidQuery } from "../errors.js";

/** The one `q` form recorded from live tenants. */
const ORGANIZATION_GRANT_QUERY = /^client_grant\.organization_id:(\S+)$/;

/** The tenant name Auth0 puts in `tenant`: the first label of the domain. */
const tenantOf = (domain: string) => domain.split(".")[0] ?? domain;

function clientView({ client_secret: _secret, scopes: _scopes, ...client }: ClientRecord, tenant: string): Record<string, unknown> {
  return { tenant, ...client };
}

function clientsHoldingOrganizationGrant(store: TenantStore, luceneQuery: string): Set<string> {
  const match = ORGANIZATION_GRANT_QUERY.exec(luceneQuery);
  if (!match?.[1]) {
    throw invalidQuery(`Query validation error: 'Unsupported query: ${luceneQuery}' on property q (A Lucene-style query).`);
  }
  const organizationId = match[1];
  return new Set(
    store
      .listClientGrants()
      .filter((grant) => grant.organization_ids.includes(organizationId))
      .map((grant) => grant.client_id),
  );
}

function matches(context: OperationContext<"listClients">, holders: Set<string> | undefined): (client: ClientRecord) => boolean {
  const { is_global: isGlobal, is_first_party: isFirstParty, app_type: appType } = context.query;
  const appTypes = appType?.split(",").map((type) => type.trim());
  return (client) =>
    (isGlobal === undefined || (client.global ?? false) === isGlobal) &&
    (isFirstParty === undefined || (client.is_first_party ?? true) === isFirstParty) &&
    (appTypes === undefined || (client.app_type !== undefined && appTypes.includes(client.app_type))) &&
    (holders === undefined || holders.has(client.client_id));
}

export const clientHandlers = {
  listClients: (context) => {
    const luceneQuery = context.query.q;
    const holders = luceneQuery === undefined ? undefined : clientsHoldingOrganizationGrant(context.store, luceneQuery);
    const tenant = tenantOf(context.domain);
    const include = context.query.include_fields !== false;
    // A narrowed item keeps the fields the spec names (`tenant`), as the live service answers.
    const added = fieldsReturnedWithIncludeFields(context.operation);
    return listReply(context, "listClients", context.store.listClients().filter(matches(context, holders)), (client) =>
      selectFields(clientView(client, tenant), context.query.fields, include, added),
    );
  },
} satisfies HandlersFor<"listClients">;
