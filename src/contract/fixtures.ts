/**
 * The resources a contract run works on. Before the transactions run, it creates its own uniquely named
 * organization and connections (`contract-test-<run id>-…`) through the typed client; every transaction then
 * works on those, and on throw-away "victims" for the destructive ones. Nothing the run did not create is ever
 * changed. Every created resource is journaled at once, and `tearDown` deletes whatever is left, newest first —
 * each only if it still carries the run's name (cleanup.ts). With client credentials, each created resource is then
 * marked as the run's in its metadata (run-mark.ts), so that a sweep can tell it from one merely renamed to look so.
 */
import type { components } from "../../generated/schema.js";
import { OPERATIONS } from "../../generated/spec-facts.js";
import {
  type CleanupOutcome,
  type CleanupProgress,
  emptyOutcome,
  journalCandidates,
  type LeftoverFinder,
  removeIfOwned,
  removeLeftovers,
  sendDelete,
} from "./cleanup.js";
import type { Journal, ResourceKind } from "./journal.js";
import { runNamePrefix } from "./run-id.js";
import type { RunMarker } from "./run-mark.js";

export type { ApiClient } from "./cleanup.js";
import type { ApiClient } from "./cleanup.js";
export type { LinkFamily } from "../shared/link-families.js";
import type { LinkFamily } from "../shared/link-families.js";

export class FixtureError extends Error {}

/** What a fixture connection is made of besides its name. */
export type ConnectionSettings = Omit<components["schemas"]["CreateConnectionRequest"], "name">;

/** An answer read as text, as the contract hooks check it against the spec. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function describeFailure(what: string, response: Response, error: unknown): FixtureError {
  const detail = typeof error === "object" && error !== null && "message" in error ? `: ${String(error.message)}` : "";
  return new FixtureError(`could not ${what} (HTTP ${response.status}${detail})`);
}

export class ContractFixtures {
  organizationId = "";
  organizationName = "";
  /** A connection of the run, linked through the `enabled_connections` family. */
  enabledConnectionId = "";
  enabledConnectionName = "";
  /** A connection of the run, linked through the `connections` family. */
  organizationConnectionId = "";

  constructor(
    private readonly api: ApiClient,
    private readonly journal: Journal,
    readonly runId: string,
    private readonly marker?: RunMarker,
  ) {}

  /** The metadata that marks a resource as the run's (empty without client credentials). */
  markOf(kind: ResourceKind, id: string): Record<string, string> {
    return this.marker?.metadata(kind, id, this.runId) ?? {};
  }

  /** Marks a resource the run has just created and journaled (its id is known only now). */
  private async mark(kind: ResourceKind, id: string): Promise<void> {
    if (!this.marker) return;
    const body = { metadata: this.markOf(kind, id) };
    const { response, error } =
      kind === "organization"
        ? await this.api.PATCH("/organizations/{id}", { params: { path: { id } }, body })
        : await this.api.PATCH("/connections/{id}", { params: { path: { id } }, body });
    if (!response.ok) throw describeFailure(`mark ${kind} ${id} as the run's`, response, error);
  }

  private serial = 0;
  /**
   * Whether each of the run's connections is linked to its organization, as far as the run knows (from its own
   * requests' answers; absent: not known). The links of both families are one set, so one state per connection.
   * A set-up whose answer the run already knows is not sent.
   */
  private readonly linked = new Map<string, boolean>();
  /** Resources this run created and still holds, by `kind:id`: deleted at the end without reading them first. */
  private readonly own = new Set<string>();
  /** Set when the run is interrupted: nothing more is created after the clean-up has read the journal. */
  stopped = false;

  private checkNotStopped(): void {
    if (this.stopped) throw new FixtureError("not created: the run was interrupted");
  }

  /** A resource name that marks the resource as this run's. */
  name(suffix: string): string {
    return `${runNamePrefix(this.runId)}${suffix}`;
  }

  /** A suffix not used before in this run, for throw-away resources. */
  unique(suffix: string): string {
    this.serial += 1;
    return `${suffix}-${this.serial}`;
  }

  async setUp(): Promise<void> {
    const organization = await this.createOrganization("org");
    this.organizationId = organization.id;
    this.organizationName = organization.name;
    const enabled = await this.createConnection("enabled");
    this.enabledConnectionId = enabled.id;
    this.enabledConnectionName = enabled.name;
    this.organizationConnectionId = (await this.createConnection("linked")).id;
    // New connections are linked to nothing.
    this.linked.set(this.enabledConnectionId, false);
    this.linked.set(this.organizationConnectionId, false);
  }

  async createOrganization(suffix: string): Promise<{ id: string; name: string }> {
    this.checkNotStopped();
    const name = this.name(suffix);
    const { data, error, response } = await this.api.POST("/organizations", { body: { name, display_name: `Contract test ${this.runId}` } });
    if (!data) throw describeFailure(`create organization ${name}`, response, error);
    this.journal.record({ kind: "organization", id: data.id, name });
    this.own.add(`organization:${data.id}`);
    await this.mark("organization", data.id);
    return { id: data.id, name };
  }

  /** Creates a connection of the run: a database (`auth0`) one unless `settings` say otherwise. */
  async createConnection(suffix: string, settings: ConnectionSettings = { strategy: "auth0" }): Promise<{ id: string; name: string }> {
    this.checkNotStopped();
    const name = this.name(suffix);
    const { data, error, response } = await this.api.POST("/connections", { body: { ...settings, name } });
    if (!data) throw describeFailure(`create connection ${name}`, response, error);
    this.journal.record({ kind: "connection", id: data.id, name });
    this.own.add(`connection:${data.id}`);
    await this.mark("connection", data.id);
    return { id: data.id, name };
  }

  /** A GET of an already filled path (e.g. a list in its other paging style), paced like every request of the run. */
  async getText(path: string, query: Record<string, string>): Promise<RawAnswer> {
    // The path is filled in already; openapi-fetch only substitutes `{…}` placeholders, so it passes through as is.
    const { data, error, response } = await this.api.GET(path as "/organizations", { params: { query }, parseAs: "text" } as never);
    return { status: response.status, headers: Object.fromEntries(response.headers), body: (data ?? error ?? "") as unknown as string };
  }

  /** Records (and marks) a resource that a transaction (not the fixtures) created, so that it is cleaned up too. */
  async adopt(kind: ResourceKind, id: string, name: string): Promise<void> {
    this.journal.record({ kind, id, name });
    await this.mark(kind, id);
    this.own.add(`${kind}:${id}`);
  }

  /** A transaction deleted a resource of the run (2xx): nothing is left to clean up. */
  deleted(kind: ResourceKind, id: string): void {
    this.journal.forget({ kind, id });
    this.own.delete(`${kind}:${id}`);
  }

  /** What a transaction's answer says about a link of the run's organization (undefined: it is not known now). */
  linkIs(connectionId: string, state: boolean | undefined): void {
    if (state === undefined) this.linked.delete(connectionId);
    else this.linked.set(connectionId, state);
  }

  /** Makes sure the connection is linked to the organization (through either family: they share the links). */
  async ensureLinked(family: LinkFamily, organizationId: string, connectionId: string): Promise<void> {
    if (organizationId === this.organizationId && this.linked.get(connectionId) === true) return;
    const params = { params: { path: { id: organizationId } } };
    const { response, error } =
      family === "enabled_connections"
        ? await this.api.POST("/organizations/{id}/enabled_connections", { ...params, body: { connection_id: connectionId } })
        : await this.api.POST("/organizations/{id}/connections", { ...params, body: { connection_id: connectionId } });
    if (response.status !== 201 && response.status !== 409) throw describeFailure(`link ${connectionId}`, response, error);
    if (organizationId === this.organizationId) this.linked.set(connectionId, true);
  }

  async ensureUnlinked(organizationId: string, connectionId: string): Promise<void> {
    if (organizationId === this.organizationId && this.linked.get(connectionId) === false) return;
    const { response, error } = await this.api.DELETE("/organizations/{id}/enabled_connections/{connectionId}", {
      params: { path: { id: organizationId, connectionId } },
    });
    if (response.status !== 204 && response.status !== 404) throw describeFailure(`unlink ${connectionId}`, response, error);
    if (organizationId === this.organizationId) this.linked.set(connectionId, false);
  }

  /**
   * A client grant of the tenant the run may associate with its own organization: the first one whose
   * `organization_usage` lets tokens name an organization (the association is the run's organization's, gone with
   * it). Looked up once; undefined when the tenant has none.
   */
  async associableGrantId(): Promise<string | undefined> {
    this.grantLookup ??= this.api
      .GET("/client-grants", { params: { query: { per_page: OPERATIONS.listClientGrants.query.per_page.maximum, page: 0, include_totals: true } } })
      .then(({ data }) => {
        const grants = data && !Array.isArray(data) && "client_grants" in data ? data.client_grants : [];
        return grants.find((grant) => !grant.is_system && (grant.organization_usage === "allow" || grant.organization_usage === "require"))?.id;
      });
    return this.grantLookup;
  }

  private grantLookup: Promise<string | undefined> | undefined;

  /** Makes sure the grant is (or is not) associated with the organization. */
  async ensureGrantAssociated(organizationId: string, grantId: string, associated: boolean): Promise<void> {
    const { response, error } = associated
      ? await this.api.POST("/organizations/{id}/client-grants", { params: { path: { id: organizationId } }, body: { grant_id: grantId } })
      : await this.api.DELETE("/organizations/{id}/client-grants/{grant_id}", { params: { path: { id: organizationId, grant_id: grantId } } });
    const fine = associated ? [201, 409] : [204, 404];
    if (!fine.includes(response.status)) throw describeFailure(`${associated ? "associate" : "dissociate"} client grant ${grantId}`, response, error);
  }

  /** Deletes a connection of the run and waits until it is gone (a tenant answers 202 while it deletes). */
  async deleteConnectionUntilGone(id: string): Promise<void> {
    const outcome = emptyOutcome();
    await removeIfOwned(
      this.api,
      { kind: "connection", id, namePrefix: this.journal.namePrefix, settled: () => this.journal.forget({ kind: "connection", id }) },
      outcome,
    );
    if (outcome.failures.length > 0 || outcome.leftAlone.length > 0) throw new FixtureError([...outcome.failures, ...outcome.leftAlone].join("; "));
    // Bounded: about a minute in all, every request paced like the rest of the run.
    for (let attempt = 0, pause = 250; attempt < 30; attempt += 1, pause = Math.min(pause * 2, 4_000)) {
      const status = await sendDelete(this.api, "connection", id);
      if (status === 204 || status === 404) return;
      if (status !== 202) throw new FixtureError(`could not delete connection ${id} (HTTP ${status})`);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    throw new FixtureError(`connection ${id} was still being deleted (202) after about a minute`);
  }

  /** Deletes everything the run created and has not deleted yet, if it still carries the run's name. */
  tearDown(progress?: CleanupProgress): Promise<CleanupOutcome> {
    // What this run created and still holds needs no read first: the run knows its name (it renames nothing of its
    // own). Anything else in the journal is read and deleted only if it is still the run's.
    const finder: LeftoverFinder = {
      description: `the journal of run ${this.journal.runId}`,
      find: () =>
        Promise.resolve(
          journalCandidates(this.journal).map((candidate) => (this.own.has(`${candidate.kind}:${candidate.id}`) ? { ...candidate, known: true } : candidate)),
        ),
    };
    return removeLeftovers(this.api, [finder], progress);
  }
}

/** The finder for one run's journal. */
export function journalFinder(journal: Journal): LeftoverFinder {
  return { description: `the journal of run ${journal.runId}`, find: () => Promise.resolve(journalCandidates(journal)) };
}
