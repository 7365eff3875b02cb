/**
 * What a contract run saw the target do beyond the spec ("drift"): fields the response schemas do not describe,
 * headers the responses do not declare, query parameters the target accepted that the operation does not list.
 * The run still passes on drift (the answers are valid); drift says the spec has fallen behind the service.
 * Each distinct finding — operation, kind and where — is kept once, with the statuses it was seen on and one
 * example value, cut short and stripped of anything secret before it is kept.
 */
export type DriftKind = "response-field" | "response-header" | "query-parameter";

export interface DriftFinding {
  /** `GET /organizations/{id}/connections`: the operation as the spec writes it. */
  operation: string;
  operationId: string;
  kind: DriftKind;
  /** A JSONPath into the body (`$.connections[*].x`), a header name, or a query parameter name. */
  where: string;
  /** The response statuses the finding was seen on. */
  statuses: number[];
  /** One example value, redacted and cut to a readable length. */
  example: string;
  /** Set when the team has decided to leave this out of the spec (from the accepted list). */
  acceptedBecause?: string;
}

/** Names whose values are never shown, whatever they look like. */
const SECRET_NAME = /secret|token|password|passwd|credential|private|signing|key$|^key|cert|authorization|cookie/i;
const EXAMPLE_LENGTH = 60;

/**
 * A short, safe rendering of a value: secrets by name are `[redacted]`, long strings are cut, and everything goes
 * through the run's redactor (tokens it knows, bearer credentials, JWTs). A value is cut after redaction, so a
 * secret is never left half-visible by the cut.
 */
export function exampleValue(name: string, value: unknown, redact: (text: string) => string): string {
  if (SECRET_NAME.test(name)) return "[redacted]";
  const text = redact(JSON.stringify(value, (key, inner: unknown) => (key && SECRET_NAME.test(key) ? "[redacted]" : inner)) ?? String(value));
  return text.length > EXAMPLE_LENGTH ? `${text.slice(0, EXAMPLE_LENGTH - 1)}…` : text;
}

/** The last name in a finding's `where`, which says what the value is. */
function lastName(where: string): string {
  const match = /(?:\.|\[')([^.'[\]]+)'?\]?$/.exec(where);
  return match?.[1] ?? where;
}

/** Says why the team accepted a finding, or undefined when it is new (accepted.ts makes one from the lists). */
export interface AcceptanceRule {
  reasonFor(finding: { operation: string; operationId: string; kind: DriftKind; where: string }): string | undefined;
}

export class DriftCollector {
  private readonly byKey = new Map<string, DriftFinding>();

  constructor(
    private readonly accepted: AcceptanceRule,
    private readonly redact: (text: string) => string,
  ) {}

  record(finding: { operation: string; operationId: string; kind: DriftKind; where: string; status: number; value: unknown }): void {
    const key = `${finding.operation}\n${finding.kind}\n${finding.where}`;
    const known = this.byKey.get(key);
    if (known) {
      if (!known.statuses.includes(finding.status)) known.statuses.push(finding.status);
      return;
    }
    this.byKey.set(key, {
      operation: finding.operation,
      operationId: finding.operationId,
      kind: finding.kind,
      where: finding.where,
      statuses: [finding.status],
      example: exampleValue(lastName(finding.where), finding.value, this.redact),
      acceptedBecause: this.accepted.reasonFor(finding),
    });
  }

  /** Every finding, in the order first seen. */
  all(): DriftFinding[] {
    return [...this.byKey.values()];
  }

  /** Findings nobody has decided about yet. */
  fresh(): DriftFinding[] {
    return this.all().filter((finding) => finding.acceptedBecause === undefined);
  }
}
