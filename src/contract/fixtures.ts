/**
 * The resources a contract run works on. Before the transactions run, it creates its own uniquely named
 * organization and connections (`contract-test-<run id>-…`) through the typed client; every transaction then
 * works on those, and on throw-away "victims" for the destructive ones. Nothing the run did not create is ever
 * changed. Every created resource is journaled at once, and `tearDown` deletes whatever is left, newest first.
 */
import type { ManagementClient } from "../client/index.js";
import type { Journal, JournalEntry, ResourceKind } from "./journal.js";

export type ApiClient = ManagementClient;
export type LinkFamily = "enabled_connections" | "connections";

export class FixtureError extends Error {}

function describeFailure(what: string, response: Response, error: unknown): FixtureError {
  const detail = typeof error === "object" && error !== null && "message" in error ? `: ${String((error as { message: unknown }).message)}` : "";
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
  ) {}

  private serial = 0;

  /** A resource name that marks the resource as this run's. */
  name(suffix: string): string {
    return `contract-test-${this.runId}-${suffix}`;
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
  }

  async createOrganization(suffix: string): Promise<{ id: string; name: string }> {
    const name = this.name(suffix);
    const { data, error, response } = await this.api.POST("/organizations", { body: { name, display_name: `Contract test ${this.runId}` } });
    if (!data) throw describeFailure(`create organization ${name}`, response, error);
    this.journal.record({ kind: "organization", id: data.id });
    return { id: data.id, name };
  }

  async createConnection(suffix: string): Promise<{ id: string; name: string }> {
    const name = this.name(suffix);
    const { data, error, response } = await this.api.POST("/connections", { body: { name, strategy: "auth0" } });
    if (!data) throw describeFailure(`create connection ${name}`, response, error);
    this.journal.record({ kind: "connection", id: data.id });
    return { id: data.id, name };
  }

  /** Records a resource that a transaction (not the fixtures) created, so that it is cleaned up too. */
  adopt(kind: ResourceKind, id: string): void {
    this.journal.record({ kind, id });
  }

  /** Makes sure the connection is linked to the organization (through either family: they share the links). */
  async ensureLinked(family: LinkFamily, organizationId: string, connectionId: string): Promise<void> {
    const params = { params: { path: { id: organizationId } } };
    const { response, error } =
      family === "enabled_connections"
        ? await this.api.POST("/organizations/{id}/enabled_connections", { ...params, body: { connection_id: connectionId } })
        : await this.api.POST("/organizations/{id}/connections", { ...params, body: { connection_id: connectionId } });
    if (response.status !== 201 && response.status !== 409) throw describeFailure(`link ${connectionId}`, response, error);
  }

  async ensureUnlinked(organizationId: string, connectionId: string): Promise<void> {
    const { response, error } = await this.api.DELETE("/organizations/{id}/enabled_connections/{connectionId}", {
      params: { path: { id: organizationId, connectionId } },
    });
    if (response.status !== 204 && response.status !== 404) throw describeFailure(`unlink ${connectionId}`, response, error);
  }

  async deleteConnection(id: string): Promise<void> {
    await this.delete({ kind: "connection", id });
  }

  /** Deletes everything the run created and has not deleted yet. Returns what could not be deleted. */
  async tearDown(): Promise<string[]> {
    const failures: string[] = [];
    for (const entry of this.journal.pending()) {
      try {
        await this.delete(entry);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    return failures;
  }

  private async delete(entry: JournalEntry): Promise<void> {
    const { response, error } =
      entry.kind === "organization"
        ? await this.api.DELETE("/organizations/{id}", { params: { path: { id: entry.id } } })
        : await this.api.DELETE("/connections/{id}", { params: { path: { id: entry.id } } });
    // 202/204: deleted now or already gone; 404: already gone.
    if (![202, 204, 404].includes(response.status)) throw describeFailure(`delete ${entry.kind} ${entry.id}`, response, error);
    this.journal.forget(entry);
  }
}

/** Removes what earlier, interrupted runs against the same target left behind, as recorded in the journal. */
export async function removeLeftovers(api: ApiClient, journals: Journal[]): Promise<{ deleted: number; failures: string[] }> {
  let deleted = 0;
  const failures: string[] = [];
  for (const journal of journals) {
    const fixtures = new ContractFixtures(api, journal, "cleanup");
    const before = journal.pending().length;
    failures.push(...(await fixtures.tearDown()));
    deleted += before - journal.pending().length;
  }
  return { deleted, failures };
}
