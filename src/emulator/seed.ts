/**
 * The seed format: tenant contents as JSON, used by `options.seed`, the CLI's `--seed` file and
 * `POST /__emulator/seed`. Each entry is checked against the spec's own request schema for creating that resource
 * and then created through the same store rules as the API uses (defaults, the sign-up rule, the entity limit).
 */
import type { ValidateFunction } from "ajv";
import type { CreateConnectionRequest, CreateOrganizationConnectionRequest, CreateOrganizationRequest } from "../../generated/schema.js";
import { type JsonSchema, loadDereferencedSpec } from "../shared/spec.js";
import { type ClientGrantRecord, type ClientRecord, newId, type TenantStore } from "./store.js";
import type { SeedData } from "./types.js";
import { compileBody, errorsText } from "./validation.js";
import { ApiError, invalidBody } from "./errors.js";

type SeedValidators = Record<"organization" | "connection" | "link" | "client" | "clientGrant" | "clientCredentials", ValidateFunction>;
let validators: SeedValidators | undefined;

function specSchema(name: string): JsonSchema {
  const schema = loadDereferencedSpec().components?.schemas?.[name];
  if (!schema) throw new Error(`The spec has no components.schemas.${name}`);
  return schema as JsonSchema;
}

/**
 * The seed's validators, generated when a seed first has entries to check or when `prepareSeedValidators` asks
 * (an emulator's start does, so a broken schema stops it): an empty seed, the usual start, needs no Ajv.
 */
function seedValidators(): SeedValidators {
  validators ??= {
    organization: compileBody(specSchema("CreateOrganizationRequest")),
    connection: compileBody(specSchema("CreateConnectionRequest")),
    link: compileBody(specSchema("CreateOrganizationConnectionRequest")),
    // The spec's application and grant as `GET /clients` and `GET /client-grants` show them.
    client: compileBody({ ...specSchema("Client"), required: ["client_id"] }),
    clientGrant: compileBody(specSchema("ClientGrant")),
    clientCredentials: compileBody(clientCredentialsSchema),
  };
  return validators;
}

export function prepareSeedValidators(): void {
  seedValidators();
}

/** What only the emulator keeps about an application: its secret (for `POST /oauth/token`) and its tokens' scopes. */
const clientCredentialsSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    client_id: { type: "string", minLength: 1 },
    client_secret: { type: "string", minLength: 1 },
    scopes: { type: "array", items: { type: "string" } },
  },
};

/** Throws the seed's 400, saying which entry and why, when `value` does not match the `kind` schema. */
function check(kind: keyof SeedValidators, where: string, value: unknown): void {
  const validate = seedValidators()[kind];
  if (!validate(value)) throw invalidBody(`Seed validation error: ${where}: ${errorsText(validate.errors, "entry")}`);
}

function arrayOf(data: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const value = data[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((e) => typeof e !== "object" || e === null || Array.isArray(e))) {
    throw invalidBody(`Seed validation error: ${key} must be an array of objects`);
  }
  return value as Record<string, unknown>[];
}

/** Finds an entity by id, else by name (so hand-written seeds can link by name). */
function resolve<T extends { id: string; name: string }>(entities: Map<string, T>, ref: string): string | undefined {
  if (entities.has(ref)) return ref;
  for (const entity of entities.values()) if (entity.name === ref) return entity.id;
  return undefined;
}

/**
 * Adds the seed's contents to the store (an existing id is replaced). All or nothing: on the first invalid
 * entry the store is left as it was and an `ApiError` (400) says which entry and why.
 */
export function applySeed(store: TenantStore, seed: unknown): void {
  if (typeof seed !== "object" || seed === null || Array.isArray(seed)) throw invalidBody("Seed validation error: the seed must be an object");
  const data = seed as Record<string, unknown>;
  const unknown = Object.keys(data).filter((k) => !["organizations", "connections", "clients", "client_grants", "links"].includes(k));
  if (unknown.length > 0) throw invalidBody(`Seed validation error: unknown section ${unknown.join(", ")}`);
  store.atomically(() => {
    arrayOf(data, "organizations").forEach((entry, i) => {
      const { id, ...body } = entry;
      if (id !== undefined && typeof id !== "string") throw invalidBody(`Seed validation error: organizations[${i}].id must be a string`);
      check("organization", `organizations[${i}]`, body);
      // Connections are seeded after organizations, so links belong in the `links` section.
      if (body.enabled_connections !== undefined)
        throw invalidBody(`Seed validation error: organizations[${i}].enabled_connections: list links in the links section`);
      store.createOrganization({ ...(body as unknown as CreateOrganizationRequest), id });
    });
    arrayOf(data, "connections").forEach((entry, i) => {
      const { id, ...body } = entry;
      if (id !== undefined && typeof id !== "string") throw invalidBody(`Seed validation error: connections[${i}].id must be a string`);
      check("connection", `connections[${i}]`, body);
      store.createConnection({ ...(body as unknown as CreateConnectionRequest), id });
    });
    arrayOf(data, "clients").forEach((entry, i) => {
      const { client_secret, scopes, ...client } = entry;
      const credentials = { client_id: entry.client_id, client_secret, scopes };
      check("clientCredentials", `clients[${i}]`, withoutUndefined(credentials));
      check("client", `clients[${i}]`, client);
      store.upsertClient(entry as unknown as ClientRecord);
    });
    arrayOf(data, "client_grants").forEach((entry, i) => {
      const { organization_ids = [], ...rest } = entry;
      const grant = { ...rest, id: rest.id ?? newId("cgr") };
      check("clientGrant", `client_grants[${i}]`, grant);
      if (!Array.isArray(organization_ids) || organization_ids.some((o) => typeof o !== "string")) {
        throw invalidBody(`Seed validation error: client_grants[${i}].organization_ids must be an array of strings`);
      }
      const organizationIds = (organization_ids as string[]).map((ref) => {
        const id = resolve(store.data.organizations, ref);
        if (!id) throw invalidBody(`Seed validation error: client_grants[${i}]: no organization ${ref}`);
        return id;
      });
      store.upsertClientGrant({ ...(grant as unknown as ClientGrantRecord), organization_ids: organizationIds });
    });
    arrayOf(data, "links").forEach((entry, i) => {
      const { organization_id, ...body } = entry;
      if (typeof organization_id !== "string") throw invalidBody(`Seed validation error: links[${i}].organization_id must be a string`);
      check("link", `links[${i}]`, body);
      const organizationId = resolve(store.data.organizations, organization_id);
      const connectionId = resolve(store.data.connections, String(body.connection_id));
      if (!organizationId) throw invalidBody(`Seed validation error: links[${i}]: no organization ${organization_id}`);
      if (!connectionId) throw invalidBody(`Seed validation error: links[${i}]: no connection ${String(body.connection_id)}`);
      store.deleteLink(organizationId, connectionId);
      try {
        store.createLink(organizationId, { ...(body as unknown as CreateOrganizationConnectionRequest), connection_id: connectionId });
      } catch (error) {
        if (error instanceof ApiError) throw invalidBody(`Seed validation error: links[${i}]: ${error.message}`);
        throw error;
      }
    });
  });
}

/** The store's contents in the seed format (client secrets left out), so a snapshot can be seeded again. */
export function snapshotOf(store: TenantStore): Required<SeedData> {
  const { organizations, connections, links, clients, clientGrants } = store.data;
  return structuredClone({
    organizations: [...organizations.values()],
    connections: [...connections.values()].map(({ optionsJson, ...connection }) => ({
      ...connection,
      options: JSON.parse(optionsJson) as Record<string, unknown>,
    })),
    clients: [...clients.values()].map(({ client_secret: _secret, ...client }) => client),
    client_grants: [...clientGrants.values()],
    links: [...links.entries()].flatMap(([organization_id, byConnection]) => [...byConnection.values()].map((link) => ({ organization_id, ...link }))),
  });
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
