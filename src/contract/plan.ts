/**
 * How each contract transaction's request is built. Dredd makes one transaction per documented status, all with
 * the spec's example request; this module turns each into a request that really provokes that status on the
 * target — against the run's own fixtures — or says why it cannot be provoked there (a skip with a reason).
 */
import { OPERATIONS, type OperationId, type OperationsAnswering } from "../../generated/spec-facts.js";
import type { LinkFamily } from "../shared/link-families.js";
import type { Operation } from "../shared/spec.js";
import type { ContractFixtures } from "./fixtures.js";
import { EXPECT_429_HEADER } from "./proxy.js";

export type TargetMode = "emulator" | "prism" | "server" | "live";
export type AuthMode = "full" | "narrow" | "none" | "bad-signature";

export interface TargetCapabilities {
  mode: TargetMode;
  /**
   * Forces the target to answer the next request with this method and path (without the API prefix) with this
   * status (the emulator's fault injection, aimed at that one request).
   */
  forceStatus?: (status: number, request: { method: string; path: string }) => Promise<void>;
  /** A valid token without (some of) the operations' scopes; without one, 403 transactions are skipped. */
  hasNarrowToken: boolean;
  /** The scopes the narrow token holds (its `scope` claim), when it says; a 403 is provoked only where one is missing. */
  narrowScopes?: Set<string>;
  /** The client id the token was issued to (needed to enable a connection for an application). */
  clientId?: string;
}

export interface PreparedRequest {
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  auth: AuthMode;
  headers?: Record<string, string>;
  /** Runs after the response arrives (e.g. to journal a resource the transaction created). */
  afterResponse?: (status: number, body: unknown) => void | Promise<void>;
  /**
   * The same request in the list's other paging style (checkpoint `take` where the main request pages with
   * `page`/`per_page`): one Dredd transaction per status, but a list answers in both shapes, so both are checked.
   */
  otherPagingStyle?: Record<string, string>;
}

export type Prepared = PreparedRequest | { skip: string };

/** Ids of things that never exist: `404` probes, well within the spec's length limit on path ids. */
export const MISSING_ORGANIZATION_ID = "org_contracttestmissing0";
export const MISSING_CONNECTION_ID = "con_contracttestmissing0";
export const MISSING_GRANT_ID = "cgr_contracttestmissing0";

/** The operation's first path parameter (`id`, or `name` for a look-up by name): the one error probes vary. */
function leadingPathParameter(op: Operation): string {
  const name = op.parameters.find((p) => p.in === "path")?.name;
  if (!name) throw new Error(`${op.operationId} has no path parameter`);
  return name;
}

/** A value one character over the `maxLength` the spec sets on the operation's leading path parameter. */
function tooLongPathValue(op: Operation): Record<string, string> {
  const name = leadingPathParameter(op);
  const limit = op.parameters.find((p) => p.in === "path" && p.name === name)?.schema?.maxLength;
  if (typeof limit !== "number") throw new Error(`${op.operationId}: the spec sets no maxLength on the ${name} path parameter`);
  return { [name]: "x".repeat(limit + 1) };
}

/** A `per_page` one over the spec's maximum. */
function tooLargePerPage(op: Operation): string | undefined {
  const maximum = op.parameters.find((p) => p.in === "query" && p.name === "per_page")?.schema?.maximum;
  return typeof maximum === "number" ? String(maximum + 1) : undefined;
}

export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${template}`);
    return encodeURIComponent(value);
  });
}

/** The path parameters the spec names after an organization's (by operation: they differ between families). */
const BY_NAME_PARAMETER = OPERATIONS.getOrganizationByName.pathParameters[0];
const ENABLED_CONNECTION_PARAMETER = OPERATIONS.getOrganizationEnabledConnection.pathParameters[1];
const ORGANIZATION_CONNECTION_PARAMETER = OPERATIONS.getOrganizationConnection.pathParameters[1];
const GRANT_PARAMETER = OPERATIONS.deleteOrganizationClientGrant.pathParameters[1];

const isOrganizationPath = (op: Operation) => op.pathTemplate.startsWith("/organizations/");

/** The path values of the run's own fixtures that a transaction on this operation works on. */
function fixtureIds(op: Operation, fixtures: ContractFixtures): Record<string, string> {
  if (isOrganizationPath(op)) {
    // A grant is looked up only by the operations that need one (see withGrant); the others never name one.
    return {
      id: fixtures.organizationId,
      [BY_NAME_PARAMETER]: fixtures.organizationName,
      [ENABLED_CONNECTION_PARAMETER]: fixtures.enabledConnectionId,
      [ORGANIZATION_CONNECTION_PARAMETER]: fixtures.organizationConnectionId,
      [GRANT_PARAMETER]: MISSING_GRANT_ID,
    };
  }
  return { id: fixtures.enabledConnectionId };
}

/** Path values that name nothing on the target: an unknown id, or a name of the run's that was never created. */
function missingPathValue(op: Operation, fixtures: ContractFixtures): Record<string, string> {
  const name = leadingPathParameter(op);
  if (name === BY_NAME_PARAMETER) return { [name]: fixtures.name("never-created") };
  return { [name]: isOrganizationPath(op) ? MISSING_ORGANIZATION_ID : MISSING_CONNECTION_ID };
}

/**
 * The success query of a list: the first page with totals, and — where the operation also pages by checkpoint
 * (`take`/`from`) — the checkpoint style as the second request. Page sizes are the spec's own maximum.
 */
function listQueries(op: Operation, filter: Record<string, string> = {}): Pick<PreparedRequest, "query" | "otherPagingStyle"> {
  const maximum = (name: string) => op.parameters.find((p) => p.in === "query" && p.name === name)?.schema?.maximum;
  const perPage = maximum("per_page");
  const take = maximum("take");
  return {
    query: { ...filter, include_totals: "true", page: "0", ...(typeof perPage === "number" ? { per_page: String(perPage) } : {}) },
    ...(typeof take === "number" ? { otherPagingStyle: { ...filter, take: String(take) } } : {}),
  };
}

/** The strategy of a connection the spec's 422 is about (see UnprocessableEntity: a `<service>-mcp` strategy). */
const MCP_STRATEGY = "notion-mcp";
/** Purposes an MCP connection must have; changing them back to the defaults is the 422. */
const MCP_PURPOSES = { connected_accounts: { active: true }, authentication: { active: false } };

function ok(op: Operation, fixtures: ContractFixtures, extra: Partial<PreparedRequest> = {}): PreparedRequest {
  return { path: fillPath(op.pathTemplate, fixtureIds(op, fixtures)), auth: "full", ...extra };
}

/** What a link transaction's success says about the run's link (the run then knows it without asking). */
function linkState(fixtures: ContractFixtures, connectionId: string, after: boolean): PreparedRequest["afterResponse"] {
  return (status) => {
    if (status >= 200 && status < 300) fixtures.linkIs(connectionId, after);
    else if (status !== 429 && status !== 404) fixtures.linkIs(connectionId, undefined);
  };
}

/** A victim a transaction deletes: once deleted, nothing is left to clean up. */
function forgetWhenDeleted(fixtures: ContractFixtures, kind: "organization" | "connection", id: string): PreparedRequest["afterResponse"] {
  return (status) => {
    if (status >= 200 && status < 300) fixtures.deleted(kind, id);
  };
}

/** What a transaction's request is built from: the operation, the run's fixtures and its target. */
interface RequestContext {
  op: Operation;
  fixtures: ContractFixtures;
  target: TargetCapabilities;
}

/** A success request is also asked for its shape alone (see requestShape). */
interface SuccessContext extends RequestContext {
  /** False when only the request's shape is wanted: nothing is set up, a destructive operation names nothing real. */
  setUp: boolean;
}

type SuccessRequest = (context: SuccessContext) => Prepared | Promise<Prepared>;

/** A request on a link, once the link exists. */
const linkedFirst =
  (
    family: LinkFamily,
    connectionId: (fixtures: ContractFixtures) => string,
    extra: (context: SuccessContext) => Partial<PreparedRequest> = () => ({}),
  ): SuccessRequest =>
  async (context) => {
    const { op, fixtures, setUp } = context;
    if (setUp) await fixtures.ensureLinked(family, fixtures.organizationId, connectionId(fixtures));
    return ok(op, fixtures, extra(context));
  };

/** The request that creates a link, once there is none. */
const unlinkedFirst =
  (connectionId: (fixtures: ContractFixtures) => string, body: Record<string, unknown>): SuccessRequest =>
  async ({ op, fixtures, setUp }) => {
    const id = connectionId(fixtures);
    if (setUp) await fixtures.ensureUnlinked(fixtures.organizationId, id);
    return ok(op, fixtures, { body: { connection_id: id, ...body }, afterResponse: linkState(fixtures, id, true) });
  };

const enabledConnection = (fixtures: ContractFixtures) => fixtures.enabledConnectionId;
const organizationConnection = (fixtures: ContractFixtures) => fixtures.organizationConnectionId;
const plainSuccess: SuccessRequest = ({ op, fixtures }) => ok(op, fixtures);
// Read-only: the tenant's own lists (the run's organization's grants for the organization's list).
const listSuccess: SuccessRequest = ({ op, fixtures }) => ok(op, fixtures, listQueries(op));

/**
 * Requests that succeed, one per operation, each setting up the state it needs first — unless `setUp` is false: then
 * only the request's shape is wanted (an error transaction refused before the state matters), nothing is sent to
 * set it up, and a destructive operation names a resource that does not exist. Typed by operation id: an operation
 * the spec gains is a compile error here until the contract says how to call it.
 */
const SUCCESS_REQUESTS: Record<OperationId, SuccessRequest> = {
  createOrganization: ({ op, fixtures }) =>
    ok(op, fixtures, {
      body: { name: fixtures.name("created-org"), display_name: "Contract test (created)" },
      afterResponse: (status, body) => adoptCreated(fixtures, "organization", status, body),
    }),
  getOrganization: plainSuccess,
  getOrganizationByName: plainSuccess,
  // The run's own organization; its name stays (other transactions look it up by name).
  // Metadata is replaced whole: the run's mark (run-mark.ts) goes along.
  updateOrganization: ({ op, fixtures }) =>
    ok(op, fixtures, {
      body: { display_name: "Contract test (updated)", metadata: { purpose: "contract-test", ...fixtures.markOf("organization", fixtures.organizationId) } },
    }),
  listOrganizations: listSuccess,
  listClients: listSuccess,
  listClientGrants: listSuccess,
  listOrganizationClientGrants: listSuccess,
  // Filtered to the run's own connection, so that a large tenant answers one small page.
  listConnections: ({ op, fixtures }) => ok(op, fixtures, listQueries(op, { name: fixtures.enabledConnectionName })),
  deleteOrganization: async ({ op, fixtures, setUp }) => {
    if (!setUp) return { path: fillPath(op.pathTemplate, { id: MISSING_ORGANIZATION_ID }), auth: "full" };
    const victim = await fixtures.createOrganization(fixtures.unique("doomed-org"));
    return { path: fillPath(op.pathTemplate, { id: victim.id }), auth: "full", afterResponse: forgetWhenDeleted(fixtures, "organization", victim.id) };
  },
  listOrganizationEnabledConnections: linkedFirst("enabled_connections", enabledConnection, ({ op }) => listQueries(op)),
  addOrganizationEnabledConnection: unlinkedFirst(enabledConnection, { assign_membership_on_login: true }),
  getOrganizationEnabledConnection: linkedFirst("enabled_connections", enabledConnection),
  deleteOrganizationEnabledConnection: linkedFirst("enabled_connections", enabledConnection, ({ fixtures }) => ({
    afterResponse: linkState(fixtures, fixtures.enabledConnectionId, false),
  })),
  updateOrganizationEnabledConnection: linkedFirst("enabled_connections", enabledConnection, () => ({
    body: { assign_membership_on_login: true, show_as_button: true },
  })),
  listOrganizationConnections: linkedFirst("connections", organizationConnection, ({ op }) => listQueries(op)),
  createOrganizationConnection: unlinkedFirst(organizationConnection, { is_enabled: true }),
  getOrganizationConnection: linkedFirst("connections", organizationConnection),
  deleteOrganizationConnection: linkedFirst("connections", organizationConnection, ({ fixtures }) => ({
    afterResponse: linkState(fixtures, fixtures.organizationConnectionId, false),
  })),
  updateOrganizationConnection: linkedFirst("connections", organizationConnection, () => ({ body: { assign_membership_on_login: true, is_enabled: true } })),
  createConnection: ({ op, fixtures }) =>
    ok(op, fixtures, {
      body: { name: fixtures.name("created-conn"), strategy: "auth0" },
      afterResponse: (status, body) => adoptCreated(fixtures, "connection", status, body),
    }),
  getConnection: plainSuccess,
  getConnectionClients: plainSuccess,
  updateConnection: ({ op, fixtures }) =>
    ok(op, fixtures, {
      body: {
        display_name: "Contract test connection",
        metadata: { purpose: "contract-test", ...fixtures.markOf("connection", fixtures.enabledConnectionId) },
      },
    }),
  deleteConnection: async ({ op, fixtures, setUp }) => {
    if (!setUp) return { path: fillPath(op.pathTemplate, { id: MISSING_CONNECTION_ID }), auth: "full" };
    const victim = await fixtures.createConnection(fixtures.unique("doomed-conn"));
    return { path: fillPath(op.pathTemplate, { id: victim.id }), auth: "full", afterResponse: forgetWhenDeleted(fixtures, "connection", victim.id) };
  },
  updateConnectionClients: ({ op, fixtures, target }) => {
    if (!target.clientId) return { skip: "the token names no client id (azp) to enable the connection for" };
    return ok(op, fixtures, { body: [{ client_id: target.clientId, status: false }] });
  },
  createOrganizationClientGrant: ({ op, fixtures }) =>
    withGrant(fixtures, async (grantId) => {
      await fixtures.ensureGrantAssociated(fixtures.organizationId, grantId, false);
      return ok(op, fixtures, { body: { grant_id: grantId } });
    }),
  deleteOrganizationClientGrant: ({ op, fixtures }) =>
    withGrant(fixtures, async (grantId) => {
      await fixtures.ensureGrantAssociated(fixtures.organizationId, grantId, true);
      return { path: fillPath(op.pathTemplate, { ...fixtureIds(op, fixtures), [GRANT_PARAMETER]: grantId }), auth: "full" };
    }),
};

const isKnownOperation = (operationId: string): operationId is OperationId => Object.hasOwn(OPERATIONS, operationId);

/** How one operation is made to answer one error status. */
export type StatusRequest = (context: RequestContext) => Prepared | Promise<Prepared>;

/**
 * A plan for each operation whose spec documents `Status`, and for no other (generated/spec-facts.ts says which):
 * an operation that gains the status in the spec is a compile error until it has a plan here.
 */
export type StatusRequests<Status extends number> = Record<OperationsAnswering<Status>, StatusRequest>;

/** The table's plan for the operation, or undefined where it has none (an operation generated/ does not know). */
function planOf<Table extends Partial<Record<OperationId, StatusRequest>>>(table: Table, operationId: string): StatusRequest | undefined {
  return Object.hasOwn(table, operationId) ? table[operationId as keyof Table & OperationId] : undefined;
}

async function prepareSuccess(op: Operation, fixtures: ContractFixtures, target: TargetCapabilities, setUp = true): Promise<Prepared> {
  // The run reads the spec it was given; an operation generated/ does not know (a spec edited without regenerating) is skipped.
  if (!isKnownOperation(op.operationId)) return { skip: `no request is defined for ${op.operationId} (run \`npm run generate\`)` };
  return SUCCESS_REQUESTS[op.operationId]({ op, fixtures, target, setUp });
}

/** Runs `prepare` with a grant of the tenant the run may associate with its organization, or skips saying there is none. */
async function withGrant(fixtures: ContractFixtures, prepare: (grantId: string) => Promise<Prepared>): Promise<Prepared> {
  const grantId = await fixtures.associableGrantId();
  if (grantId === undefined)
    return { skip: "the tenant has no client grant with organization_usage allow or require to associate with the run's organization" };
  return prepare(grantId);
}

async function adoptCreated(fixtures: ContractFixtures, kind: "organization" | "connection", status: number, body: unknown): Promise<void> {
  const { id, name } = (body ?? {}) as { id?: unknown; name?: unknown };
  if (status === 201 && typeof id === "string") await fixtures.adopt(kind, id, typeof name === "string" ? name : "");
}

/** A body the operation's schema rejects: an unknown field (bodies are closed) or an empty list. */
function invalidBody(op: Operation): unknown {
  const schema = op.operation.requestBody?.content["application/json"]?.schema;
  return schema?.type === "array" ? [] : { contract_test_unknown_field: true };
}

async function prepareError(op: Operation, status: number, fixtures: ContractFixtures, target: TargetCapabilities): Promise<Prepared> {
  const base = ok(op, fixtures);
  switch (status) {
    case 400: {
      if (op.operation.requestBody) return { ...base, body: invalidBody(op) };
      const perPage = tooLargePerPage(op);
      if (perPage) return { ...base, query: { per_page: perPage } };
      return { ...base, path: fillPath(op.pathTemplate, { ...fixtureIds(op, fixtures), ...tooLongPathValue(op) }) };
    }
    case 401:
      // Alternate the two ways a token is rejected: none at all, and one whose signature does not verify.
      return { ...(await requestShape(op, fixtures, target)), auth: op.method === "get" ? "bad-signature" : "none" };
    case 403:
      if (!target.hasNarrowToken) return { skip: "no token without the scope was given (AUTH0_NARROW_TOKEN or --narrow-token-file)" };
      {
        const held = op.scopes.find((scope) => target.narrowScopes?.has(scope));
        if (held) return { skip: `the narrow token holds ${held}, so it cannot provoke a 403 here` };
      }
      return { ...(await requestShape(op, fixtures, target)), auth: "narrow" };
    case 404: {
      const exception = planOf(NOT_FOUND_REQUESTS, op.operationId);
      if (exception) return exception({ op, fixtures, target });
      return {
        ...(await requestShape(op, fixtures, target)),
        path: fillPath(op.pathTemplate, { ...fixtureIds(op, fixtures), ...missingPathValue(op, fixtures) }),
      };
    }
    case 409:
    case 422: {
      const plan = planOf(status === 409 ? CONFLICT_REQUESTS : UNPROCESSABLE_REQUESTS, op.operationId);
      // The run reads the spec it was given; a status generated/ does not know for the operation is skipped.
      if (!plan) return { skip: `no way to provoke status ${status} is defined for ${op.operationId} (run \`npm run generate\`)` };
      return plan({ op, fixtures, target });
    }
    case 429:
      if (!target.forceStatus) return { skip: "a 429 can only be provoked on a target with fault injection (the emulator)" };
      {
        // Set up first: the forced status must hit the transaction's request, not a fixture call.
        const shape = await requestShape(op, fixtures, target);
        await target.forceStatus(429, { method: op.method.toUpperCase(), path: shape.path });
        // Marks the one request whose 429 the pacer must hand over instead of repeating.
        return { ...shape, headers: { ...shape.headers, [EXPECT_429_HEADER]: "1" } };
      }
    default:
      return { skip: `no way to provoke status ${status} is defined` };
  }
}

/** The spec's first request example, for a request whose success could not be set up (it still has a valid body). */
function exampleBody(op: Operation): Partial<PreparedRequest> {
  const media = op.operation.requestBody?.content["application/json"];
  const example = Object.values(media?.examples ?? {})[0]?.value;
  return example === undefined ? {} : { body: example };
}

/**
 * A well-formed request for the operation (its success request, without its side effects on the run), for an error
 * that is decided before the state matters (400, 401, 403, 404, 429): nothing is set up for it.
 */
async function requestShape(op: Operation, fixtures: ContractFixtures, target: TargetCapabilities): Promise<PreparedRequest> {
  const prepared = await prepareSuccess(op, fixtures, target, false);
  if ("skip" in prepared) return ok(op, fixtures, exampleBody(op));
  const { afterResponse: _ignored, otherPagingStyle: _successOnly, ...request } = prepared;
  return request;
}

/**
 * 404s are provoked alike (an id or name that names nothing, in the operation's own path); these operations are
 * the exceptions, each one that declares 404.
 */
export const NOT_FOUND_REQUESTS: Partial<StatusRequests<404>> = {
  // No path id to miss: a link to a missing connection in the body, so nothing is created.
  createOrganization: ({ op, fixtures }) =>
    ok(op, fixtures, { body: { name: `${fixtures.organizationName}-404`, enabled_connections: [{ connection_id: MISSING_CONNECTION_ID }] } }),
};

/** How each operation that declares 409 is made to conflict with something the run owns. */
export const CONFLICT_REQUESTS: StatusRequests<409> = {
  addOrganizationEnabledConnection: async ({ op, fixtures }) => {
    await fixtures.ensureLinked("enabled_connections", fixtures.organizationId, fixtures.enabledConnectionId);
    return ok(op, fixtures, { body: { connection_id: fixtures.enabledConnectionId } });
  },
  createOrganizationConnection: async ({ op, fixtures }) => {
    await fixtures.ensureLinked("connections", fixtures.organizationId, fixtures.organizationConnectionId);
    return ok(op, fixtures, { body: { connection_id: fixtures.organizationConnectionId } });
  },
  createOrganization: ({ op, fixtures }) => ok(op, fixtures, { body: { name: fixtures.organizationName } }),
  createConnection: ({ op, fixtures }) => ok(op, fixtures, { body: { name: fixtures.enabledConnectionName, strategy: "auth0" } }),
  createOrganizationClientGrant: ({ op, fixtures }) =>
    withGrant(fixtures, async (grantId) => {
      await fixtures.ensureGrantAssociated(fixtures.organizationId, grantId, true);
      return ok(op, fixtures, { body: { grant_id: grantId } });
    }),
  // Renaming the run's organization to the name of another of the run's organizations.
  updateOrganization: async ({ op, fixtures }) => {
    const rival = await fixtures.createOrganization(fixtures.unique("rival-org"));
    return ok(op, fixtures, { body: { name: rival.name } });
  },
  // A connection's name cannot be changed, so there is no name of the run's to collide with.
  updateConnection: ({ op }) => ({ skip: `${op.operationId} has no conflict that can be provoked without touching resources the run does not own` }),
};

/** The spec's 422: a `<service>-mcp` connection whose purposes are not the ones such a connection must have. */
export const UNPROCESSABLE_REQUESTS: StatusRequests<422> = {
  // Named as the run's, and journaled should a target create it after all.
  createConnection: ({ op, fixtures }) =>
    ok(op, fixtures, {
      body: { name: fixtures.name(fixtures.unique("mcp-422")), strategy: MCP_STRATEGY },
      afterResponse: (status, body) => adoptCreated(fixtures, "connection", status, body),
    }),
  updateConnection: async ({ op, fixtures }) => {
    let mcp;
    try {
      mcp = await fixtures.createConnection(fixtures.unique("mcp"), { strategy: MCP_STRATEGY, ...MCP_PURPOSES });
    } catch (error) {
      if (fixtures.stopped) throw error;
      return { skip: `the target did not create an MCP connection (${MCP_STRATEGY}) of the run's own to provoke the 422 on: ${(error as Error).message}` };
    }
    return { path: fillPath(op.pathTemplate, { id: mcp.id }), auth: "full", body: { authentication: { active: true } } };
  },
};

/**
 * The operation that answers 202 while a deletion is under way and 204 once the thing is gone: its 204 transaction
 * deletes a victim first and then asks again. Typed by the spec, so that the name follows the statuses.
 */
const DELETE_UNTIL_GONE: OperationsAnswering<202> & OperationsAnswering<204> = "deleteConnection";

/**
 * Builds the request for one transaction against a stateful target (emulator, server, live tenant).
 * Success statuses get a real request on the run's fixtures; error statuses get a request crafted to provoke them.
 */
export async function prepareTransaction(op: Operation, status: number, fixtures: ContractFixtures, target: TargetCapabilities): Promise<Prepared> {
  if (status >= 200 && status < 300) {
    if (op.operationId === DELETE_UNTIL_GONE && status === 204) {
      const victim = await fixtures.createConnection(fixtures.unique("gone-conn"));
      await fixtures.deleteConnectionUntilGone(victim.id);
      return { path: fillPath(op.pathTemplate, { id: victim.id }), auth: "full" };
    }
    return prepareSuccess(op, fixtures, target);
  }
  return prepareError(op, status, fixtures, target);
}
