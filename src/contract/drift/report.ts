/**
 * How a run's drift is shown: lines for the console summary, a JSON document for `--drift-report FILE`, and one
 * JUnit test case per operation (so CI views list it beside the transactions).
 */
import type { DriftFinding } from "./findings.js";

const KIND_WORDS: Record<DriftFinding["kind"], string> = {
  "response-field": "field not in the spec",
  "response-header": "header not in the spec",
  "query-parameter": "query parameter accepted, not in the spec",
};

export function findingLine(finding: DriftFinding): string {
  const statuses = finding.statuses.join("/");
  const accepted = finding.acceptedBecause ? ` (accepted: ${finding.acceptedBecause})` : "";
  return `${finding.operation} → ${statuses}: ${KIND_WORDS[finding.kind]} ${finding.where}, e.g. ${finding.example}${accepted}`;
}

/** The summary's drift section: the new findings in full, the accepted ones counted. */
export function driftSummaryLines(findings: DriftFinding[], failOnDrift: boolean): string[] {
  const fresh = findings.filter((f) => !f.acceptedBecause);
  const accepted = findings.length - fresh.length;
  const acceptedNote = accepted > 0 ? `; ${accepted} accepted (listed as decided)` : "";
  if (fresh.length === 0) return [`Drift: nothing new beyond the spec${acceptedNote}.`];
  const consequence = failOnDrift ? "the run fails (--fail-on-drift)" : "the run still passes; --fail-on-drift makes it fail";
  return [
    `Drift: ${fresh.length} thing(s) the target does that the spec does not describe${acceptedNote} — ${consequence}:`,
    ...fresh.map((finding) => `  ~ ${findingLine(finding)}`),
  ];
}

export interface DriftDocument {
  runId: string;
  target: string;
  finishedAt: string;
  new: DriftFinding[];
  accepted: DriftFinding[];
}

export function driftDocument(runId: string, target: string, findings: DriftFinding[]): DriftDocument {
  return {
    runId,
    target,
    finishedAt: new Date().toISOString(),
    new: findings.filter((f) => !f.acceptedBecause),
    accepted: findings.filter((f) => f.acceptedBecause),
  };
}

/** One JUnit case per operation with drift: a failure when the run fails on drift, else the findings as output. */
export interface DriftCase {
  name: string;
  /** Set when new drift fails the run. */
  failure?: string;
  /** The findings, one per line. */
  output: string;
}

export function driftCases(findings: DriftFinding[], failOnDrift: boolean): DriftCase[] {
  const byOperation = new Map<string, DriftFinding[]>();
  for (const finding of findings) byOperation.set(finding.operation, [...(byOperation.get(finding.operation) ?? []), finding]);
  return [...byOperation].map(([operation, list]) => {
    const fresh = list.filter((f) => !f.acceptedBecause);
    return {
      name: `drift ${operation}`,
      failure: failOnDrift && fresh.length > 0 ? `${fresh.length} new: ${fresh.map((f) => `${KIND_WORDS[f.kind]} ${f.where}`).join("; ")}` : undefined,
      output: list.map(findingLine).join("\n"),
    };
  });
}
