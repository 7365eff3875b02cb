/**
 * How each contract transaction's request is built. Dredd makes one transaction per documented status, all with
 * the spec's example request; this module turns each into a request that really provokes that status on the
 * target — against the run's own fixtures — or says why it cannot be provoked there (a skip with a reason).
 */
import type { Operation } from "../shared/spec.js";
import type { ContractFixtures } from "./fixtures.js";
import { EXPECT_429_HEADER } from "./proxy.js";

export type TargetMode = "emulator" | "prism" | "server" | "live";
export type AuthMode = "full" | "narrow" | "none" | "bad-signature";

export interface TargetCapabilities {
  mode: TargetMode;
  /** Forces the target to answer the next API request with this status (the emulator's fault injection). */
  forceNextStatus?: (status: number) => Promise<void>;
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

const isOrganizationPath = (op: Operation) => op.pathTemplate.startsWith("/organizations/");

/** The path values of the run's own fixtures that a transaction on this operation works on. */
function fixtureIds(op: Operation, fixtures: ContractFixtures): Record<string, string> {
  if (isOrganizationPath(op)) {
    // A grant is looked up only by the operations that need one (see withGrant); the others never name one.
    return { id: fixtures.organizationId, name: fixtures.organizationName, connectionId: fixtures.enabledConnectionId, connection_id: fixtures.organizationConnectionId, grant_id: MISSING_GRANT_ID };
  }
  return { id: fixtures.enabledConnectionId };
}

/** Path values that name nothing on the target: an unknown id, or a name of the run's that was never created. */
function missingPathValue(op: Operation, fixtures: ContractFixtures): Record<string, string> {
  const name = leadingPathParameter(op);
  if (name === "name") return { name: fixtures.name("never-created") };
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

/**
 * Requests that succeed, one per operation, each setting up the state it needs first — unless `setUp` is false: then
 * only the request's shape is wanted (an error transaction refused before the state matters), nothing is sent to
 * set it up, and a destructive operation names a resource that does not exist.
 */
async function prepareSuccess(op: Operation, fixtures: ContractFixtures, target: TargetCapabilities, setUp = true): Promise<Prepared> {
  const org = fixtures.organizationId;
  const ensureLinked = (family: "enabled_connections" | "connections", connectionId: string) => (setUp ? fixtures.ensureLinked(family, org, connectionId) : Promise.resolve());
  const ensureUnlinked = (connectionId: string) => (setUp ? fixtures.ensureUnlinked(org, connectionId) : Promise.resolve());
  switch (op.operationId) {
    case "createOrganization":
      return ok(op, fixtures, {
        body: { name: fixtures.name("created-org"), display_name: "Contract test (created)" },
        afterResponse: (status, body) => adoptCreated(fixtures, "organization", status, body),
      });
    case "getOrganization":
    case "getOrganizationByName":
      return ok(op, fixtures);
    case "updateOrganization":
      // The run's own organization; its name stays (other transactions look it up by name).
      // Metadata is replaced whole: the run's mark (run-mark.ts) goes along.
      return ok(op, fixtures, { body: { display_name: "Contract test (updated)", metadata: { purpose: "contract-test", ...fixtures.markOf("organization", org) } } });
    case "listOrganizations":
    case "listClients":
    case "listClientGrants":
    case "listOrganizationClientGrants":
      // Read-only: the tenant's own lists (the run's organization's grants for the last one).
      return ok(op, fixtures, listQueries(op));
    case "listConnections":
      // Filtered to the run's own connection, so that a large tenant answers one small page.
      return ok(op, fixtures, listQueries(op, { name: fixtures.enabledConnectionName }));
    case "deleteOrganization": {
      if (!setUp) return { path: fillPath(op.pathTemplate, { id: MISSING_ORGANIZATION_ID }), auth: "full" };
      const victim = await fixtures.createOrganization(fixtures.unique("doomed-org"));
      return { path: fillPath(op.pathTemplate, { id: victim.id }), auth: "full", afterResponse: forgetWhenDeleted(fixtures, "organization", victim.id) };
    }
    case "listOrganizationEnabledConnections":
      await ensureLinked("enabled_connections", fixtures.enabledConnectionId);
      return ok(op, fixtures, { query: { include_totals: "true", page: "0", per_page: "50" } });
    case "addOrganizationEnabledConnection":
      await ensureUnlinked(fixtures.enabledConnectionId);
      return ok(op, fixtures, { body: { connection_id: fixtures.enabledConnectionId, assign_membership_on_login: true }, afterResponse: linkState(fixtures, fixtures.enabledConnectionId, true) });
    case "getOrganizationEnabledConnection":
      await ensureLinked("enabled_connections", fixtures.enabledConnectionId);
      return ok(op, fixtures);
    case "deleteOrganizationEnabledConnection":
      await ensureLinked("enabled_connections", fixtures.enabledConnectionId);
      return ok(op, fixtures, { afterResponse: linkState(fixtures, fixtures.enabledConnectionId, false) });
    case "updateOrganizationEnabledConnection":
      await ensureLinked("enabled_connections", fixtures.enabledConnectionId);
      return ok(op, fixtures, { body: { assign_membership_on_login: true, show_as_button: true } });
    case "listOrganizationConnections":
      await ensureLinked("connections", fixtures.organizationConnectionId);
      return ok(op, fixtures, { query: { include_totals: "true", page: "0", per_page: "50" } });
    case "createOrganizationConnection":
      await ensureUnlinked(fixtures.organizationConnectionId);
      return ok(op, fixtures, { body: { connection_id: fixtures.organizationConnectionId, is_enabled: true }, afterResponse: linkState(fixtures, fixtures.organizationConnectionId, true) });
    case "getOrganizationConnection":
      await ensureLinked("connections", fixtures.organizationConnectionId);
      return ok(op, fixtures);
    case "deleteOrganizationConnection":
      await ensureLinked("connections", fixtures.organizationConnectionId);
      return ok(op, fixtures, { afterResponse: linkState(fixtures, fixtures.organizationConnectionId, false) });
    case "updateOrganizationConnection":
      await ensureLinked("connections", fixtures.organizationConnectionId);
      return ok(op, fixtures, { body: { assign_membership_on_login: true, is_enabled: true } });
    case "createConnection":
      return ok(op, fixtures, {
        body: { name: fixtures.name("created-conn"), strategy: "auth0" },
        afterResponse: (status, body) => adoptCreated(fixtures, "connection", status, body),
      });
    case "getConnection":
    case "getConnectionClients":
      return ok(op, fixtures);
    case "updateConnection":
      return ok(op, fixtures, { body: { display_name: "Contract test connection", metadata: { purpose: "contract-test", ...fixtures.markOf("connection", fixtures.enabledConnectionId) } } });
    case "deleteConnection": {
      if (!setUp) return { path: fillPath(op.pathTemplate, { id: MISSING_CONNECTION_ID }), auth: "full" };
      const victim = await fixtures.createConnection(fixtures.unique("doomed-conn"));
      return { path: fillPath(op.pathTemplate, { id: victim.id }), auth: "full", afterResponse: forgetWhenDeleted(fixtures, "connection", victim.id) };
    }
    case "updateConnectionClients":
      if (!target.clientId) return { skip: "the token names no client id (azp) to enable the connection for" };
      return ok(op, fixtures, { body: [{ client_id: target.clientId, status: false }] });
    case "createOrganizationClientGrant":
      return withGrant(fixtures, async (grantId) => {
        await fixtures.ensureGrantAssociated(org, grantId, false);
        return ok(op, fixtures, { body: { grant_id: grantId } });
      });
    case "deleteOrganizationClientGrant":
      return withGrant(fixtures, async (grantId) => {
        await fixtures.ensureGrantAssociated(org, grantId, true);
        return { path: fillPath(op.pathTemplate, { ...fixtureIds(op, fixtures), grant_id: grantId }), auth: "full" };
      });
    default:
      return { skip: `no request is defined for ${op.operationId} yet` };
  }
}

/** Runs `prepare` with a grant of the tenant the run may associate with its organization, or skips saying there is none. */
async function withGrant(fixtures: ContractFixtures, prepare: (grantId: string) => Promise<Prepared>): Promise<Prepared> {
  const grantId = await fixtures.associableGrantId();
  if (grantId === undefined) return { skip: "the tenant has no client grant with organization_usage allow or require to associate with the run's organization" };
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
    case 400:
      if (op.operation.requestBody) return { ...base, body: invalidBody(op) };
      const perPage = tooLargePerPage(op);
      if (perPage) return { ...base, query: { per_page: perPage } };
      return { ...base, path: fillPath(op.pathTemplate, { ...fixtureIds(op, fixtures), ...tooLongPathValue(op) }) };
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
      if (op.operationId === "createOrganization") return ok(op, fixtures, { body: { name: `${fixtures.organizationName}-404`, enabled_connections: [{ connection_id: MISSING_CONNECTION_ID }] } }); // a link to a missing connection: nothing is created
      return { ...(await requestShape(op, fixtures, target)), path: fillPath(op.pathTemplate, { ...fixtureIds(op, fixtures), ...missingPathValue(op, fixtures) }) };
    }
    case 409:
      return prepareConflict(op, fixtures, target);
    case 422:
      return prepareUnprocessable(op, fixtures);
    case 429:
      if (!target.forceNextStatus) return { skip: "a 429 can only be provoked on a target with fault injection (the emulator)" };
      {
        // Set up first: the forced status must hit the transaction's request, not a fixture call.
        const shape = await requestShape(op, fixtures, target);
        await target.forceNextStatus(429);
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

async function prepareConflict(op: Operation, fixtures: ContractFixtures, target: TargetCapabilities): Promise<Prepared> {
  switch (op.operationId) {
    case "addOrganizationEnabledConnection":
      await fixtures.ensureLinked("enabled_connections", fixtures.organizationId, fixtures.enabledConnectionId);
      return ok(op, fixtures, { body: { connection_id: fixtures.enabledConnectionId } });
    case "createOrganizationConnection":
      await fixtures.ensureLinked("connections", fixtures.organizationId, fixtures.organizationConnectionId);
      return ok(op, fixtures, { body: { connection_id: fixtures.organizationConnectionId } });
    case "createOrganization":
      return ok(op, fixtures, { body: { name: fixtures.organizationName } });
    case "createConnection":
      return ok(op, fixtures, { body: { name: fixtures.enabledConnectionName, strategy: "auth0" } });
    case "createOrganizationClientGrant":
      return withGrant(fixtures, async (grantId) => {
        await fixtures.ensureGrantAssociated(fixtures.organizationId, grantId, true);
        return ok(op, fixtures, { body: { grant_id: grantId } });
      });
    case "updateOrganization": {
      // Renaming the run's organization to the name of another of the run's organizations.
      const rival = await fixtures.createOrganization(fixtures.unique("rival-org"));
      return ok(op, fixtures, { body: { name: rival.name } });
    }
    default:
      void target;
      return { skip: `${op.operationId} has no conflict that can be provoked without touching resources the run does not own` };
  }
}

/** The spec's 422: a `<service>-mcp` connection whose purposes are not the ones such a connection must have. */
async function prepareUnprocessable(op: Operation, fixtures: ContractFixtures): Promise<Prepared> {
  switch (op.operationId) {
    case "createConnection":
      // Named as the run's, and journaled should a target create it after all.
      return ok(op, fixtures, {
        body: { name: fixtures.name(fixtures.unique("mcp-422")), strategy: MCP_STRATEGY },
        afterResponse: (status, body) => adoptCreated(fixtures, "connection", status, body),
      });
    case "updateConnection": {
      let mcp;
      try {
        mcp = await fixtures.createConnection(fixtures.unique("mcp"), { strategy: MCP_STRATEGY, ...MCP_PURPOSES });
      } catch (error) {
        if (fixtures.stopped) throw error;
        return { skip: `the target did not create an MCP connection (${MCP_STRATEGY}) of the run's own to provoke the 422 on: ${(error as Error).message}` };
      }
      return { path: fillPath(op.pathTemplate, { id: mcp.id }), auth: "full", body: { authentication: { active: true } } };
    }
    default:
      return { skip: `no way to provoke status 422 is defined for ${op.operationId}` };
  }
}

/**
 * Builds the request for one transaction against a stateful target (emulator, server, live tenant).
 * Success statuses get a real request on the run's fixtures; error statuses get a request crafted to provoke them.
 */
export async function prepareTransaction(op: Operation, status: number, fixtures: ContractFixtures, target: TargetCapabilities): Promise<Prepared> {
  if (status >= 200 && status < 300) {
    if (op.operationId === "deleteConnection" && status === 204) {
      // Deleting a connection that is already gone answers 204: delete a victim first, then ask again.
      const victim = await fixtures.createConnection(fixtures.unique("gone-conn"));
      await fixtures.deleteConnectionUntilGone(victim.id);
      return { path: fillPath(op.pathTemplate, { id: victim.id }), auth: "full" };
    }
    return prepareSuccess(op, fixtures, target);
  }
  return prepareError(op, status, fixtures, target);
}
