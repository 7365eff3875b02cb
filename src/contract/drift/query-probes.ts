/**
 * Query parameters a target accepts that the operation does not list — "where the run can tell". A run cannot
 * guess a parameter's name from nothing, but Auth0 grows its reads along known lines: a list paged by `page`
 * gains checkpoint paging (`take`/`from`), a checkpoint list gains `page`, a read gains `fields`/`include_fields`.
 * So after an operation's first successful read, the run sends that read once more with the next such parameter
 * the operation lacks. Auth0 refuses an unknown query parameter (400 `invalid_query_string`), so a refusal is the
 * expected answer and costs one request. A success is confirmed against a made-up parameter: only when the target
 * refuses that one does the success mean the parameter was understood (a target that ignores unknown parameters
 * tells nothing, and nothing is reported).
 */
import type { Operation } from "../../shared/spec.js";
import { responseBodySchema } from "../../shared/spec.js";
import type { RawAnswer } from "../fixtures.js";

/** A parameter name no API will ever define. */
export const UNKNOWN_PARAMETER = "contract_drift_probe";

const lists = (op: Operation, name: string) => op.parameters.some((p) => p.in === "query" && p.name === name);

/** The first property the operation's 200 body describes, as a harmless `fields` value. */
function firstDescribedField(op: Operation): string | undefined {
  const schema = responseBodySchema(op, 200);
  const parts = [schema, ...((schema?.allOf as Array<Record<string, unknown>> | undefined) ?? [])];
  for (const part of parts) {
    const properties = part?.properties as Record<string, unknown> | undefined;
    if (properties) return Object.keys(properties)[0];
  }
  return undefined;
}

/** The probes for one operation: parameter name → the query that tries it. */
export function probesFor(op: Operation): Array<{ parameter: string; query: Record<string, string> }> {
  if (op.method !== "get") return [];
  const probes: Array<{ parameter: string; query: Record<string, string> }> = [];
  const isList = lists(op, "page") || lists(op, "take");
  if (isList && !lists(op, "take")) probes.push({ parameter: "take", query: { take: "1" } });
  if (isList && !lists(op, "page")) probes.push({ parameter: "page", query: { page: "0" } });
  if (!isList) {
    const field = firstDescribedField(op);
    if (!lists(op, "fields") && field) probes.push({ parameter: "fields", query: { fields: field } });
    else if (lists(op, "fields") && !lists(op, "include_fields") && field)
      probes.push({ parameter: "include_fields", query: { fields: field, include_fields: "true" } });
  }
  return probes;
}

export type Get = (path: string, query: Record<string, string>) => Promise<RawAnswer>;

/** Runs an operation's probes against a path that answered 200; returns the parameters the target understood. */
export async function probeQueryParameters(op: Operation, path: string, get: Get): Promise<Array<{ parameter: string; value: string }>> {
  const understood: Array<{ parameter: string; value: string }> = [];
  let refusesUnknown: boolean | undefined;
  for (const probe of probesFor(op)) {
    const answer = await get(path, probe.query);
    if (answer.status < 200 || answer.status >= 300) continue;
    refusesUnknown ??= (await get(path, { [UNKNOWN_PARAMETER]: "1" })).status === 400;
    if (!refusesUnknown) return [];
    understood.push({ parameter: probe.parameter, value: probe.query[probe.parameter] as string });
  }
  return understood;
}
