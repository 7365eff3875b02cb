/**
 * The official `auth0` Node SDK (v7) method behind each operation, for the docs' code samples. The SDK's
 * names cannot be derived from the spec, so they are listed here; test/docs/code-samples.test.ts compiles
 * every sample against node_modules/auth0's own types, so a wrong or renamed method fails the tests, and an
 * operation missing from this table is reported there (it still gets the client and curl samples).
 *
 * The SDK takes the path parameters as positional arguments in path order, then the body (or the query).
 */
export interface OfficialSdkMethod {
  /** The method's path under `ManagementClient`, e.g. `organizations.connections.get`. */
  call: string;
  /** The method answers a page of results (`core.Page`, async-iterable over every item) rather than a value. */
  pages?: true;
}

/** A data table (one row per operationId), not logic: its rows look alike by nature. */
export const OFFICIAL_SDK_METHODS: Readonly<Record<string, OfficialSdkMethod>> = {
  createOrganization: { call: "organizations.create" },
  getOrganization: { call: "organizations.get" },
  deleteOrganization: { call: "organizations.delete" },
  listOrganizationEnabledConnections: { call: "organizations.enabledConnections.list", pages: true },
  addOrganizationEnabledConnection: { call: "organizations.enabledConnections.add" },
  getOrganizationEnabledConnection: { call: "organizations.enabledConnections.get" },
  updateOrganizationEnabledConnection: { call: "organizations.enabledConnections.update" },
  deleteOrganizationEnabledConnection: { call: "organizations.enabledConnections.delete" },
  listOrganizationConnections: { call: "organizations.connections.list", pages: true },
  createOrganizationConnection: { call: "organizations.connections.create" },
  getOrganizationConnection: { call: "organizations.connections.get" },
  updateOrganizationConnection: { call: "organizations.connections.update" },
  deleteOrganizationConnection: { call: "organizations.connections.delete" },
  createConnection: { call: "connections.create" },
  getConnection: { call: "connections.get" },
  updateConnection: { call: "connections.update" },
  deleteConnection: { call: "connections.delete" },
  getConnectionClients: { call: "connections.clients.get", pages: true },
  updateConnectionClients: { call: "connections.clients.update" },
  listOrganizations: { call: "organizations.list", pages: true },
  getOrganizationByName: { call: "organizations.getByName" },
  updateOrganization: { call: "organizations.update" },
  listConnections: { call: "connections.list", pages: true },
  listClients: { call: "clients.list", pages: true },
  listClientGrants: { call: "clientGrants.list", pages: true },
  listOrganizationClientGrants: { call: "organizations.clientGrants.list", pages: true },
  createOrganizationClientGrant: { call: "organizations.clientGrants.create" },
  deleteOrganizationClientGrant: { call: "organizations.clientGrants.delete" },
};
