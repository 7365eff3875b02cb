/**
 * The drift check of a contract run: every answer the run's transactions see is held to the spec beyond validity
 * (undescribed fields at any depth, undeclared headers), and each read the run makes is probed once for query
 * parameters the operation does not list. Findings go to the run's collector.
 */
import { findResponse, type Operation } from "../../shared/spec.js";
import { createUndescribedFieldFinder } from "../../shared/undescribed-fields.js";
import type { DriftCollector } from "./findings.js";
import { undeclaredHeaders } from "./headers.js";
import { type Get, probeQueryParameters } from "./query-probes.js";

export interface DriftCheck {
  /** Compares one answer with what the spec documents for its status. */
  inspect(op: Operation, answer: { status: number; headers: Record<string, string | string[] | undefined>; body: string }): void;
  /** Probes an operation's query parameters once per run, on a path that has just answered 200. */
  probeOnce(op: Operation, path: string, get: Get): Promise<void>;
}

export const operationLabel = (op: Operation) => `${op.method.toUpperCase()} ${op.pathTemplate}`;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function createDriftCheck(collector: DriftCollector): DriftCheck {
  const findUndescribed = createUndescribedFieldFinder();
  const probed = new Set<string>();
  return {
    inspect(op, answer) {
      const documented = findResponse(op, answer.status);
      if (!documented) return; // an undocumented status fails the transaction already
      const base = { operation: operationLabel(op), operationId: op.operationId, status: answer.status };
      const schema = documented.content?.["application/json"]?.schema;
      const parsed = schema && answer.body.trim() !== "" ? parseJson(answer.body) : { ok: false as const };
      if (schema && parsed.ok) {
        for (const field of findUndescribed(schema, parsed.value)) collector.record({ ...base, kind: "response-field", where: field.path, value: field.value });
      }
      for (const [name, value] of undeclaredHeaders(documented, answer.headers)) collector.record({ ...base, kind: "response-header", where: name, value });
    },
    async probeOnce(op, path, get) {
      if (probed.has(op.operationId)) return;
      probed.add(op.operationId);
      for (const { parameter, value } of await probeQueryParameters(op, path, get)) {
        collector.record({ operation: operationLabel(op), operationId: op.operationId, status: 200, kind: "query-parameter", where: parameter, value });
      }
    },
  };
}
