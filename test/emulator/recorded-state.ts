/**
 * Puts the emulator into the state a recorded answer shows, for recordings whose earlier set-up calls were not
 * recorded (the de-duplicated history cassettes): a recorded `GET` of a connection or an organization shows
 * fields an unrecorded update set, so the stored record takes those fields before the request is replayed.
 * Which fields may be set is read from the spec's create-request schemas; names and strategies are left alone
 * (the shape comparison does not compare them, and they must stay unique and valid).
 */
import type { SeedOrganization } from "../../src/emulator/types.js";
import { loadDereferencedSpec } from "../../src/shared/spec.js";
import type { TestEmulator } from "./helpers.js";

type JsonObject = Record<string, unknown>;
const KEPT = new Set(["name", "strategy"]);

function settableFields(schemaName: string): string[] {
  const schema = loadDereferencedSpec().components?.schemas?.[schemaName] as { properties?: JsonObject } | undefined;
  return Object.keys(schema?.properties ?? {}).filter((key) => !KEPT.has(key));
}

function picked(recorded: JsonObject, fields: string[]): JsonObject {
  return Object.fromEntries(fields.filter((key) => key in recorded).map((key) => [key, recorded[key]]));
}

/** Makes connection `id` show what `recorded` (a recorded connection body) shows. */
export function matchRecordedConnection(t: TestEmulator, id: string, recorded: JsonObject): void {
  const current = t.emulator.state.snapshot().connections.find((c) => c.id === id);
  if (!current) return;
  const fields = picked(recorded, settableFields("CreateConnectionRequest"));
  // A recorded answer without `options` came from a token that could not see them: keep the stored ones.
  if (recorded.options === undefined) delete fields.options;
  t.emulator.state.seed({ connections: [{ ...current, ...fields }] });
}

/** Makes organization `id` show what `recorded` (a recorded organization body) shows. */
export function matchRecordedOrganization(t: TestEmulator, id: string, recorded: JsonObject): void {
  const current = t.emulator.state.snapshot().organizations.find((o) => o.id === id);
  if (!current) return;
  const fields = picked(recorded, settableFields("CreateOrganizationRequest"));
  // Fields the recording lacks were not set on that tenant.
  const kept = Object.fromEntries(Object.entries(current).filter(([key]) => key === "id" || KEPT.has(key) || key in recorded));
  t.emulator.state.seed({ organizations: [{ ...kept, ...fields } as SeedOrganization] });
}
