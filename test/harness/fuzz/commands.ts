/**
 * The stateful fuzzer's commands (fast-check model-based testing): each one calls the emulator, compares the answer
 * with what the model predicts, updates the model from it, and checks the invariants on every list it reads —
 * no duplicate link, totals equal to the links, and a deleted link never coming back. Each command is a function
 * of its generated arguments that makes a labelled fast-check command.
 */
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import type { Emulator } from "../../../src/emulator/index.js";
import type { OrganizationAccessLevel } from "../../../generated/schema.js";
import { loadDereferencedSpec } from "../../../src/shared/spec.js";
import type { CheckedApi } from "./checked-api.js";
import { type InvalidRequest, invalidRequestArbitrary, sendInvalid } from "./invalid-requests.js";
import { type LinkFamily, type LinkPatch, type LinkSettings, TenantModel } from "./model.js";

/** The emulator the commands run against, as fast-check's "real" side of a model-based run. */
export interface SystemUnderTest {
  api: CheckedApi;
  emulator: Emulator;
  /** A valid token without any scope (for 403s). */
  narrowToken: string;
  /** Invariant checks made, for the report. */
  invariantChecks: { value: number };
}

type Command = fc.AsyncCommand<TenantModel, SystemUnderTest>;

class Mismatch extends Error {}

/**
 * One command as fast-check runs it: always applicable, `label` names it in a counterexample and in every
 * mismatch it reports.
 */
function command(label: string, run: (model: TenantModel, system: SystemUnderTest, label: string) => Promise<void>): Command {
  return { check: () => true, run: (model, system) => run(model, system, label), toString: () => label };
}

function expectStatus(what: string, actual: { status: number; text: string }, expected: number): void {
  if (actual.status !== expected) throw new Mismatch(`${what}: expected ${expected}, got ${actual.status} ${actual.text.slice(0, 200)}`);
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) throw new Mismatch(`${what}:\n  got      ${JSON.stringify(actual)}\n  expected ${JSON.stringify(expected)}`);
}

const ORG_NAMES = ["acme", "globex", "initech", "umbrella", "hooli"];
const CONNECTION_NAMES = ["db-main", "db-other", "okta-corp", "okta-lab", "google-social", "db-spare"];
const STRATEGIES = ["auth0", "okta", "google-oauth2"] as const;
const FAMILIES: LinkFamily[] = ["connections", "enabled_connections"];
/** The access levels the spec's `OrganizationAccessLevel` enum allows. */
const ACCESS_LEVELS = accessLevelsFromSpec();

function accessLevelsFromSpec(): OrganizationAccessLevel[] {
  const levels = (loadDereferencedSpec().components?.schemas?.OrganizationAccessLevel as { enum?: OrganizationAccessLevel[] } | undefined)?.enum;
  if (!levels || levels.length === 0) throw new Error("The spec's OrganizationAccessLevel has no enum");
  return levels;
}

const createOrganization = (name: string): Command =>
  command(`CreateOrganization(${name})`, async (model, system, label) => {
    const answer = await system.api.call("POST", "/organizations", { body: { name } });
    expectStatus(label, answer, model.orgNameTaken(name) ? 409 : 201);
    if (answer.status === 201) model.addOrg(answer.body.id as string, name);
  });

const deleteOrganization = (pick: number): Command =>
  command(`DeleteOrganization(#${pick})`, async (model, system, label) => {
    const id = model.pickOrg(pick);
    const answer = await system.api.call("DELETE", `/organizations/${id}`);
    // An organization that does not exist is a 404, as recorded from live tenants.
    expectStatus(label, answer, model.orgs.has(id) ? 204 : 404);
    model.deleteOrg(id);
    expectStatus(`${label} then GET`, await system.api.call("GET", `/organizations/${id}`), 404);
  });

const createConnection = (name: string, strategy: string): Command =>
  command(`CreateConnection(${name}, ${strategy})`, async (model, system, label) => {
    const body = strategy === "okta" ? { name, strategy, options: { domain: `${name}.okta.com` } } : { name, strategy };
    const answer = await system.api.call("POST", "/connections", { body });
    expectStatus(label, answer, model.connectionNameTaken(name) ? 409 : 201);
    if (answer.status === 201) model.addConnection(answer.body.id as string, { name, strategy });
  });

const deleteConnection = (pick: number): Command =>
  command(`DeleteConnection(#${pick})`, async (model, system, label) => {
    const id = model.pickConnection(pick);
    const answer = await system.api.call("DELETE", `/connections/${id}`);
    expectStatus(label, answer, model.connections.has(id) ? 202 : 204);
    model.deleteConnection(id);
  });

function linkPath(family: LinkFamily, orgId: string, connectionId?: string): string {
  return `/organizations/${orgId}/${family}${connectionId === undefined ? "" : `/${connectionId}`}`;
}

const addLink = (family: LinkFamily, orgPick: number, connectionPick: number, settings: Partial<LinkSettings>): Command =>
  command(`AddLink(${family}, org #${orgPick}, con #${connectionPick}, ${JSON.stringify(settings)})`, async (model, system, label) => {
    const orgId = model.pickOrg(orgPick);
    const connectionId = model.pickConnection(connectionPick);
    const sent = family === "enabled_connections" ? pickKeys(settings, ["assign_membership_on_login", "is_signup_enabled", "show_as_button"]) : settings;
    const expected = model.expectCreateLink(orgId, connectionId, sent);
    const answer = await system.api.call("POST", linkPath(family, orgId), { body: { connection_id: connectionId, ...sent } });
    expectStatus(label, answer, expected.status);
    if (expected.link) {
      expectEqual(`${label} body`, answer.body, model.view(family, connectionId, expected.link));
      model.linksOf(orgId).set(connectionId, expected.link);
      model.gone.delete(`${orgId} ${connectionId}`);
    }
  });

const updateLink = (family: LinkFamily, orgPick: number, connectionPick: number, requested: LinkPatch): Command =>
  command(`UpdateLink(${family}, org #${orgPick}, con #${connectionPick}, ${JSON.stringify(requested)})`, async (model, system, label) => {
    const orgId = model.pickOrg(orgPick);
    const connectionId = model.pickConnection(connectionPick);
    const patch = family === "enabled_connections" ? pickKeys(requested, ["assign_membership_on_login", "is_signup_enabled", "show_as_button"]) : requested;
    const expected = model.expectUpdateLink(orgId, connectionId, patch);
    const answer = await system.api.call("PATCH", linkPath(family, orgId, connectionId), { body: patch });
    expectStatus(label, answer, expected.status);
    if (expected.link) {
      expectEqual(`${label} body`, answer.body, model.view(family, connectionId, expected.link));
      model.linksOf(orgId).set(connectionId, expected.link);
    }
  });

const removeLink = (family: LinkFamily, orgPick: number, connectionPick: number): Command =>
  command(`RemoveLink(${family}, org #${orgPick}, con #${connectionPick})`, async (model, system, label) => {
    const orgId = model.pickOrg(orgPick);
    const connectionId = model.pickConnection(connectionPick);
    const answer = await system.api.call("DELETE", linkPath(family, orgId, connectionId));
    expectStatus(label, answer, model.orgs.has(orgId) ? 204 : 404);
    if (model.links.get(orgId)?.delete(connectionId)) model.gone.add(`${orgId} ${connectionId}`);
  });

const getLink = (family: LinkFamily, orgPick: number, connectionPick: number): Command =>
  command(`GetLink(${family}, org #${orgPick}, con #${connectionPick})`, async (model, system, label) => {
    const orgId = model.pickOrg(orgPick);
    const connectionId = model.pickConnection(connectionPick);
    const link = model.orgs.has(orgId) ? model.links.get(orgId)?.get(connectionId) : undefined;
    const answer = await system.api.call("GET", linkPath(family, orgId, connectionId));
    expectStatus(label, answer, link ? 200 : 404);
    if (link) expectEqual(`${label} body`, answer.body, model.view(family, connectionId, link));
  });

/** Reads a whole list page by page (with totals) and once without totals, and checks the invariants on it. */
const listLinks = (family: LinkFamily, orgPick: number, perPage: number, isEnabled: boolean | undefined): Command =>
  command(
    `ListLinks(${family}, org #${orgPick}, per_page ${perPage}${isEnabled === undefined ? "" : `, is_enabled ${isEnabled}`})`,
    async (model, system, label) => {
      const orgId = model.pickOrg(orgPick);
      const filter: Record<string, boolean> = family === "connections" && isEnabled !== undefined ? { is_enabled: isEnabled } : {};
      if (!model.orgs.has(orgId)) {
        expectStatus(label, await system.api.call("GET", linkPath(family, orgId), { query: { include_totals: true } }), 404);
        return;
      }
      const expected = model.listed(family, orgId, family === "connections" ? isEnabled : undefined);
      const seen: Array<Record<string, unknown>> = [];
      const lastPage = Math.ceil(expected.length / perPage);
      // One page past the end too: it must be empty.
      for (let page = 0; page <= lastPage; page += 1) {
        const answer = await system.api.call("GET", linkPath(family, orgId), { query: { page, per_page: perPage, include_totals: true, ...filter } });
        expectStatus(`${label} page ${page}`, answer, 200);
        const items = answer.body[family] as Array<Record<string, unknown>>;
        expectEqual(`${label} page ${page} total`, answer.body.total, expected.length);
        expectEqual(`${label} page ${page} start`, answer.body.start, page * perPage);
        expectEqual(`${label} page ${page} limit`, answer.body.limit, family === "connections" ? perPage : items.length);
        seen.push(...items);
      }
      system.invariantChecks.value += 3;
      const ids = seen.map((item) => item.connection_id as string);
      if (new Set(ids).size !== ids.length) throw new Mismatch(`${label}: a link is listed twice: ${ids.join(", ")}`);
      const resurrected = ids.filter((id) => model.gone.has(`${orgId} ${id}`));
      if (resurrected.length > 0) throw new Mismatch(`${label}: deleted links came back: ${resurrected.join(", ")}`);
      expectEqual(`${label} all pages`, seen, expected);

      const plain = await system.api.call("GET", linkPath(family, orgId), { query: { per_page: perPage, ...filter } });
      expectStatus(`${label} without totals`, plain, 200);
      expectEqual(`${label} without totals`, plain.body, expected.slice(0, perPage));
    },
  );

/** Renames an organization: 404 when it is gone, 409 when another has the name; afterwards the new name finds it. */
const renameOrganization = (pick: number, name: string): Command =>
  command(`RenameOrganization(#${pick}, ${name})`, async (model, system, label) => {
    const id = model.pickOrg(pick);
    const current = model.orgs.get(id);
    const taken = current !== undefined && current !== name && model.orgNameTaken(name);
    const answer = await system.api.call("PATCH", `/organizations/${id}`, { body: { name } });
    expectStatus(label, answer, current === undefined ? 404 : taken ? 409 : 200);
    if (answer.status !== 200) return;
    expectEqual(`${label} body`, { id: answer.body.id, name: answer.body.name }, { id, name: name });
    model.orgs.set(id, name);
    const found = await system.api.call("GET", `/organizations/name/${name}`);
    expectStatus(`${label} then GET by name`, found, 200);
    expectEqual(`${label} then GET by name`, found.body.id, id);
  });

/**
 * Walks the tenant-wide lists with checkpoint paging (`take`, then `from` = `next`): every organization and
 * connection the model holds, once each, in creation order, and the same count as `include_totals` reports.
 */
const walkTenantLists = (take: number): Command =>
  command(`WalkTenantLists(take ${take})`, async (model, system, label) => {
    for (const [path, key, expected] of [
      ["/organizations", "organizations", [...model.orgs.keys()]],
      ["/connections", "connections", [...model.connections.keys()]],
    ] as const) {
      const ids: string[] = [];
      let from: string | undefined;
      for (let page = 0; page <= expected.length; page += 1) {
        const answer = await system.api.call("GET", path, { query: from === undefined ? { take: take } : { take: take, from } });
        expectStatus(`${label} ${path} page ${page}`, answer, 200);
        ids.push(...(answer.body[key] as Array<{ id: string }>).map((item) => item.id));
        from = answer.body.next as string | undefined;
        if (from === undefined) break;
      }
      expectEqual(`${label} ${path}`, ids, expected);
      const totals = await system.api.call("GET", path, { query: { include_totals: true } });
      expectEqual(`${label} ${path} total`, totals.body.total, expected.length);
      system.invariantChecks.value += 2;
    }
  });

/** A request that is wrong in one way: the right 4xx, and the tenant unchanged. */
const invalidCall = (invalid: InvalidRequest): Command =>
  command(`InvalidCall(${JSON.stringify(invalid)})`, async (model, system) => {
    const before = JSON.stringify(system.emulator.state.snapshot());
    const { answer, expectedStatus, description } = await sendInvalid(invalid, model, system);
    expectStatus(description, answer, expectedStatus);
    if (JSON.stringify(system.emulator.state.snapshot()) !== before) throw new Mismatch(`${description}: the tenant changed`);
    system.invariantChecks.value += 1;
  });

function pickKeys<T extends object>(value: T, keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => keys.includes(key))) as Partial<T>;
}

const pick = fc.nat({ max: 50 });
const family = fc.constantFrom(...FAMILIES);
const linkSettings = fc.record(
  {
    assign_membership_on_login: fc.boolean(),
    show_as_button: fc.boolean(),
    is_signup_enabled: fc.boolean(),
    is_enabled: fc.boolean(),
    organization_access_level: fc.constantFrom(...ACCESS_LEVELS),
    organization_connection_name: fc.string({ minLength: 1, maxLength: 50 }).filter((s) => !s.includes("\u0000")),
  },
  { requiredKeys: [] },
);
const linkPatch: fc.Arbitrary<LinkPatch> = fc.record(
  {
    assign_membership_on_login: fc.boolean(),
    show_as_button: fc.boolean(),
    is_signup_enabled: fc.boolean(),
    organization_connection_name: fc.option(
      fc.string({ minLength: 1, maxLength: 50 }).filter((s) => !s.includes("\u0000")),
      { nil: null },
    ),
    organization_access_level: fc.option(fc.constantFrom(...ACCESS_LEVELS), { nil: null }),
    is_enabled: fc.option(fc.boolean(), { nil: null }),
  },
  { requiredKeys: [] },
);

/** Every command, weighted towards the link operations the invariants are about. */
export function commandArbitraries(): Array<fc.Arbitrary<Command>> {
  return [
    fc.constantFrom(...ORG_NAMES).map((name) => createOrganization(name)),
    pick.map((p) => deleteOrganization(p)),
    fc.tuple(fc.constantFrom(...CONNECTION_NAMES), fc.constantFrom(...STRATEGIES)).map(([name, strategy]) => createConnection(name, strategy)),
    pick.map((p) => deleteConnection(p)),
    ...[1, 2, 3].map(() => fc.tuple(family, pick, pick, linkSettings).map(([f, o, c, s]) => addLink(f, o, c, s))),
    ...[1, 2].map(() => fc.tuple(family, pick, pick, linkPatch).map(([f, o, c, p]) => updateLink(f, o, c, p))),
    fc.tuple(family, pick, pick).map(([f, o, c]) => removeLink(f, o, c)),
    fc.tuple(family, pick, pick).map(([f, o, c]) => getLink(f, o, c)),
    ...[1, 2].map(() =>
      fc.tuple(family, pick, fc.integer({ min: 1, max: 4 }), fc.option(fc.boolean(), { nil: undefined })).map(([f, o, p, e]) => listLinks(f, o, p, e)),
    ),
    fc.tuple(pick, fc.constantFrom(...ORG_NAMES)).map(([p, name]) => renameOrganization(p, name)),
    fc.integer({ min: 1, max: 3 }).map((take) => walkTenantLists(take)),
    invalidRequestArbitrary().map((invalid) => invalidCall(invalid)),
  ];
}

export { Mismatch };
