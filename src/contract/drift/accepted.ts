/**
 * The drift a team has decided to leave out of the spec, each entry with its reason. The project's own list is
 * `openapi/drift-accepted.yaml`, bundled by `npm run generate` into `generated/drift-accepted.json` (and shipped with
 * the contract package); a team adds its own with `--drift-accepted FILE` (JSON, or YAML with the same shape).
 * An entry names the operation (`GET /organizations/{id}/connections` or its operation id), the kind, and where;
 * `where` may end in `*` to accept everything below a path (`$.connections[*].*`).
 */
import { readFileSync } from "node:fs";
import type { AcceptanceRule, DriftKind } from "./findings.js";

export interface AcceptedEntry {
  operation: string;
  kind: DriftKind;
  where: string;
  reason: string;
}

export interface AcceptedDrift extends AcceptanceRule {
  entries: readonly AcceptedEntry[];
}

const KINDS: readonly DriftKind[] = ["response-field", "response-header", "query-parameter"];

export class AcceptedDriftError extends Error {}

/** Checks the shape of a parsed list; `source` names the file in messages. */
export function parseAcceptedDrift(document: unknown, source: string): AcceptedEntry[] {
  const list = (document as { accepted?: unknown } | null)?.accepted;
  if (!Array.isArray(list)) throw new AcceptedDriftError(`${source}: expected an object with an 'accepted' list`);
  return list.map((entry: unknown, index) => {
    const item = entry as Partial<Record<keyof AcceptedEntry, unknown>> | null;
    const problem = (what: string) => new AcceptedDriftError(`${source}: accepted[${index}] ${what}`);
    if (typeof item !== "object" || item === null) throw problem("is not an object");
    for (const field of ["operation", "where", "reason"] as const) {
      if (typeof item[field] !== "string" || item[field] === "") throw problem(`needs a non-empty '${field}'`);
    }
    if (!KINDS.includes(item.kind as DriftKind)) throw problem(`has kind '${String(item.kind)}'; expected one of ${KINDS.join(", ")}`);
    return { operation: item.operation, kind: item.kind, where: item.where, reason: item.reason } as AcceptedEntry;
  });
}

function whereMatches(pattern: string, where: string): boolean {
  return pattern.endsWith("*") && !pattern.endsWith("[*]") ? where.startsWith(pattern.slice(0, -1)) : pattern === where;
}

export function acceptedDrift(entries: readonly AcceptedEntry[]): AcceptedDrift {
  return {
    entries,
    reasonFor: (finding) =>
      entries.find(
        (entry) =>
          (entry.operation === finding.operation || entry.operation === finding.operationId) &&
          entry.kind === finding.kind &&
          (entry.kind === "response-header" ? entry.where.toLowerCase() === finding.where.toLowerCase() : whereMatches(entry.where, finding.where)),
      )?.reason,
  };
}

/** Reads a user's list: JSON, or YAML when the `yaml` package can be loaded. */
export async function readAcceptedDriftFile(file: string): Promise<AcceptedEntry[]> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new AcceptedDriftError(`--drift-accepted ${file} cannot be read (${(error as { code?: string }).code ?? (error as Error).message})`);
  }
  let document: unknown;
  try {
    document = /\.json$/i.test(file) ? JSON.parse(text) : (await import("yaml")).parse(text);
  } catch (error) {
    throw new AcceptedDriftError(
      `--drift-accepted ${file} is not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}`,
    );
  }
  return parseAcceptedDrift(document, file);
}

/** The project's own list (`openapi/drift-accepted.yaml`, as `npm run generate` bundled it). */
export function projectAcceptedDrift(): AcceptedEntry[] {
  const file = new URL("../../../generated/drift-accepted.json", import.meta.url);
  return parseAcceptedDrift(JSON.parse(readFileSync(file, "utf8")), "generated/drift-accepted.json");
}
