/**
 * The stateful fuzzer's commands (fast-check model-based testing): each one calls the emulator, compares the answer
 * with what the model predicts, updates the model from it, and checks the invariants on every list it reads —
 * no duplicate link, totals equal to the links, and a deleted link never coming back. fast-check wants one class
 * per command, so commands on different resources (create/delete an organization, a connection) share a shape on
 * purpose; what each one predicts differs.
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

class CreateOrganization implements Command {
  constructor(readonly name: string) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const answer = await system.api.call("POST", "/organizations", { body: { name: this.name } });
    expectStatus(this.toString(), answer, model.orgNameTaken(this.name) ? 409 : 201);
    if (answer.status === 201) model.addOrg(answer.body.id as string, this.name);
  }
  toString = () => `CreateOrganization(${this.name})`;
}

class DeleteOrganization implements Command {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const id = model.pickOrg(this.pick);
    const answer = await system.api.call("DELETE", `/organizations/${id}`);
    // An organization that does not exist is a 404, as recorded from live tenants.
    expectStatus(this.toString(), answer, model.orgs.has(id) ? 204 : 404);
    model.deleteOrg(id);
    expectStatus(`${this.toString()} then GET`, await system.api.call("GET", `/organizations/${id}`), 404);
  }
  toString = () => `DeleteOrganization(#${this.pick})`;
}

class CreateConnection implements Command {
  constructor(
    readonly name: string,
    readonly strategy: string,
  ) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const body =
      this.strategy === "okta"
        ? { name: this.name, strategy: this.strategy, options: { domain: `${this.name}.okta.com` } }
        : { name: this.name, strategy: this.strategy };
    const answer = await system.api.call("POST", "/connections", { body });
    expectStatus(this.toString(), answer, model.connectionNameTaken(this.name) ? 409 : 201);
    if (answer.status === 201) model.addConnection(answer.body.id as string, { name: this.name, strategy: this.strategy });
  }
  toString = () => `CreateConnection(${this.name}, ${this.strategy})`;
}

class DeleteConnection implements Command {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const id = model.pickConnection(this.pick);
    const answer = await system.api.call("DELETE", `/connections/${id}`);
    expectStatus(this.toString(), answer, model.connections.has(id) ? 202 : 204);
    model.deleteConnection(id);
  }
  toString = () => `DeleteConnection(#${this.pick})`;
}

function linkPath(family: LinkFamily, orgId: string, connectionId?: string): string {
  return `/organizations/${orgId}/${family}${connectionId === undefined ? "" : `/${connectionId}`}`;
}

class AddLink implements Command {
  constructor(
    readonly family: LinkFamily,
    readonly orgPick: number,
    readonly connectionPick: number,
    readonly settings: Partial<LinkSettings>,
  ) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const orgId = model.pickOrg(this.orgPick);
    const connectionId = model.pickConnection(this.connectionPick);
    const sent =
      this.family === "enabled_connections" ? pickKeys(this.settings, ["assign_membership_on_login", "is_signup_enabled", "show_as_button"]) : this.settings;
    const expected = model.expectCreateLink(orgId, connectionId, sent);
    const answer = await system.api.call("POST", linkPath(this.family, orgId), { body: { connection_id: connectionId, ...sent } });
    expectStatus(this.toString(), answer, expected.status);
    if (expected.link) {
      expectEqual(`${this.toString()} body`, answer.body, model.view(this.family, connectionId, expected.link));
      model.linksOf(orgId).set(connectionId, expected.link);
      model.gone.delete(`${orgId} ${connectionId}`);
    }
  }
  toString = () => `AddLink(${this.family}, org #${this.orgPick}, con #${this.connectionPick}, ${JSON.stringify(this.settings)})`;
}

class UpdateLink implements Command {
  constructor(
    readonly family: LinkFamily,
    readonly orgPick: number,
    readonly connectionPick: number,
    readonly patch: LinkPatch,
  ) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const orgId = model.pickOrg(this.orgPick);
    const connectionId = model.pickConnection(this.connectionPick);
    const patch =
      this.family === "enabled_connections" ? pickKeys(this.patch, ["assign_membership_on_login", "is_signup_enabled", "show_as_button"]) : this.patch;
    const expected = model.expectUpdateLink(orgId, connectionId, patch);
    const answer = await system.api.call("PATCH", linkPath(this.family, orgId, connectionId), { body: patch });
    expectStatus(this.toString(), answer, expected.status);
    if (expected.link) {
      expectEqual(`${this.toString()} body`, answer.body, model.view(this.family, connectionId, expected.link));
      model.linksOf(orgId).set(connectionId, expected.link);
    }
  }
  toString = () => `UpdateLink(${this.family}, org #${this.orgPick}, con #${this.connectionPick}, ${JSON.stringify(this.patch)})`;
}

class RemoveLink implements Command {
  constructor(
    readonly family: LinkFamily,
    readonly orgPick: number,
    readonly connectionPick: number,
  ) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const orgId = model.pickOrg(this.orgPick);
    const connectionId = model.pickConnection(this.connectionPick);
    const answer = await system.api.call("DELETE", linkPath(this.family, orgId, connectionId));
    expectStatus(this.toString(), answer, model.orgs.has(orgId) ? 204 : 404);
    if (model.links.get(orgId)?.delete(connectionId)) model.gone.add(`${orgId} ${connectionId}`);
  }
  toString = () => `RemoveLink(${this.family}, org #${this.orgPick}, con #${this.connectionPick})`;
}

class GetLink implements Command {
  constructor(
    readonly family: LinkFamily,
    readonly orgPick: number,
    readonly connectionPick: number,
  ) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const orgId = model.pickOrg(this.orgPick);
    const connectionId = model.pickConnection(this.connectionPick);
    const link = model.orgs.has(orgId) ? model.links.get(orgId)?.get(connectionId) : undefined;
    const answer = await system.api.call("GET", linkPath(this.family, orgId, connectionId));
    expectStatus(this.toString(), answer, link ? 200 : 404);
    if (link) expectEqual(`${this.toString()} body`, answer.body, model.view(this.family, connectionId, link));
  }
  toString = () => `GetLink(${this.family}, org #${this.orgPick}, con #${this.connectionPick})`;
}

/** Reads a whole list page by page (with totals) and once without totals, and checks the invariants on it. */
class ListLinks implements Command {
  constructor(
    readonly family: LinkFamily,
    readonly orgPick: number,
    readonly perPage: number,
    readonly isEnabled: boolean | undefined,
  ) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const orgId = model.pickOrg(this.orgPick);
    const filter: Record<string, boolean> = this.family === "connections" && this.isEnabled !== undefined ? { is_enabled: this.isEnabled } : {};
    if (!model.orgs.has(orgId)) {
      expectStatus(this.toString(), await system.api.call("GET", linkPath(this.family, orgId), { query: { include_totals: true } }), 404);
      return;
    }
    const expected = model.listed(this.family, orgId, this.family === "connections" ? this.isEnabled : undefined);
    const seen: Array<Record<string, unknown>> = [];
    const lastPage = Math.ceil(expected.length / this.perPage);
    // One page past the end too: it must be empty.
    for (let page = 0; page <= lastPage; page += 1) {
      const answer = await system.api.call("GET", linkPath(this.family, orgId), { query: { page, per_page: this.perPage, include_totals: true, ...filter } });
      expectStatus(`${this.toString()} page ${page}`, answer, 200);
      const items = answer.body[this.family] as Array<Record<string, unknown>>;
      expectEqual(`${this.toString()} page ${page} total`, answer.body.total, expected.length);
      expectEqual(`${this.toString()} page ${page} start`, answer.body.start, page * this.perPage);
      expectEqual(`${this.toString()} page ${page} limit`, answer.body.limit, this.family === "connections" ? this.perPage : items.length);
      seen.push(...items);
    }
    system.invariantChecks.value += 3;
    const ids = seen.map((item) => item.connection_id as string);
    if (new Set(ids).size !== ids.length) throw new Mismatch(`${this.toString()}: a link is listed twice: ${ids.join(", ")}`);
    const resurrected = ids.filter((id) => model.gone.has(`${orgId} ${id}`));
    if (resurrected.length > 0) throw new Mismatch(`${this.toString()}: deleted links came back: ${resurrected.join(", ")}`);
    expectEqual(`${this.toString()} all pages`, seen, expected);

    const plain = await system.api.call("GET", linkPath(this.family, orgId), { query: { per_page: this.perPage, ...filter } });
    expectStatus(`${this.toString()} without totals`, plain, 200);
    expectEqual(`${this.toString()} without totals`, plain.body, expected.slice(0, this.perPage));
  }
  toString = () =>
    `ListLinks(${this.family}, org #${this.orgPick}, per_page ${this.perPage}${this.isEnabled === undefined ? "" : `, is_enabled ${this.isEnabled}`})`;
}

/** Renames an organization: 404 when it is gone, 409 when another has the name; afterwards the new name finds it. */
class RenameOrganization implements Command {
  constructor(
    readonly pick: number,
    readonly name: string,
  ) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const id = model.pickOrg(this.pick);
    const current = model.orgs.get(id);
    const taken = current !== undefined && current !== this.name && model.orgNameTaken(this.name);
    const answer = await system.api.call("PATCH", `/organizations/${id}`, { body: { name: this.name } });
    expectStatus(this.toString(), answer, current === undefined ? 404 : taken ? 409 : 200);
    if (answer.status !== 200) return;
    expectEqual(`${this.toString()} body`, { id: answer.body.id, name: answer.body.name }, { id, name: this.name });
    model.orgs.set(id, this.name);
    const found = await system.api.call("GET", `/organizations/name/${this.name}`);
    expectStatus(`${this.toString()} then GET by name`, found, 200);
    expectEqual(`${this.toString()} then GET by name`, found.body.id, id);
  }
  toString = () => `RenameOrganization(#${this.pick}, ${this.name})`;
}

/**
 * Walks the tenant-wide lists with checkpoint paging (`take`, then `from` = `next`): every organization and
 * connection the model holds, once each, in creation order, and the same count as `include_totals` reports.
 */
class WalkTenantLists implements Command {
  constructor(readonly take: number) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    for (const [path, key, expected] of [
      ["/organizations", "organizations", [...model.orgs.keys()]],
      ["/connections", "connections", [...model.connections.keys()]],
    ] as const) {
      const ids: string[] = [];
      let from: string | undefined;
      for (let page = 0; page <= expected.length; page += 1) {
        const answer = await system.api.call("GET", path, { query: from === undefined ? { take: this.take } : { take: this.take, from } });
        expectStatus(`${this.toString()} ${path} page ${page}`, answer, 200);
        ids.push(...(answer.body[key] as Array<{ id: string }>).map((item) => item.id));
        from = answer.body.next as string | undefined;
        if (from === undefined) break;
      }
      expectEqual(`${this.toString()} ${path}`, ids, expected);
      const totals = await system.api.call("GET", path, { query: { include_totals: true } });
      expectEqual(`${this.toString()} ${path} total`, totals.body.total, expected.length);
      system.invariantChecks.value += 2;
    }
  }
  toString = () => `WalkTenantLists(take ${this.take})`;
}

/** A request that is wrong in one way: the right 4xx, and the tenant unchanged. */
class InvalidCall implements Command {
  constructor(readonly invalid: InvalidRequest) {}
  check = () => true;
  async run(model: TenantModel, system: SystemUnderTest) {
    const before = JSON.stringify(system.emulator.state.snapshot());
    const { answer, expectedStatus, description } = await sendInvalid(this.invalid, model, system);
    expectStatus(description, answer, expectedStatus);
    if (JSON.stringify(system.emulator.state.snapshot()) !== before) throw new Mismatch(`${description}: the tenant changed`);
    system.invariantChecks.value += 1;
  }
  toString = () => `InvalidCall(${JSON.stringify(this.invalid)})`;
}

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
    fc.constantFrom(...ORG_NAMES).map((name) => new CreateOrganization(name)),
    pick.map((p) => new DeleteOrganization(p)),
    fc.tuple(fc.constantFrom(...CONNECTION_NAMES), fc.constantFrom(...STRATEGIES)).map(([name, strategy]) => new CreateConnection(name, strategy)),
    pick.map((p) => new DeleteConnection(p)),
    ...[1, 2, 3].map(() => fc.tuple(family, pick, pick, linkSettings).map(([f, o, c, s]) => new AddLink(f, o, c, s))),
    ...[1, 2].map(() => fc.tuple(family, pick, pick, linkPatch).map(([f, o, c, p]) => new UpdateLink(f, o, c, p))),
    fc.tuple(family, pick, pick).map(([f, o, c]) => new RemoveLink(f, o, c)),
    fc.tuple(family, pick, pick).map(([f, o, c]) => new GetLink(f, o, c)),
    ...[1, 2].map(() =>
      fc.tuple(family, pick, fc.integer({ min: 1, max: 4 }), fc.option(fc.boolean(), { nil: undefined })).map(([f, o, p, e]) => new ListLinks(f, o, p, e)),
    ),
    fc.tuple(pick, fc.constantFrom(...ORG_NAMES)).map(([p, name]) => new RenameOrganization(p, name)),
    fc.integer({ min: 1, max: 3 }).map((take) => new WalkTenantLists(take)),
    invalidRequestArbitrary().map((invalid) => new InvalidCall(invalid)),
  ];
}

export { Mismatch };
