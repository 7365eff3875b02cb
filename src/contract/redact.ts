/**
 * Keeps secrets out of everything a run prints or writes (progress, summary, errors, the JUnit report): the
 * tokens and client secret it knows of are replaced wherever they appear, and so is anything that looks like a
 * bearer credential or a JWT — which also covers tokens the run minted or received and variants of them (a
 * token with a tampered signature still carries the original's header and payload).
 */
const REDACTED = "[redacted]";
const BEARER = /(\bBearer\s+)[^\s"'<>,;]+/gi;
const JWT = /\beyJ[\w-]*\.[\w-]+\.[\w-]*/g;

export interface Redactor {
  (text: string): string;
  /** Adds secrets learned later (e.g. a token obtained with client credentials). */
  add(...secrets: Array<string | undefined>): void;
}

export function createRedactor(secrets: Array<string | undefined> = []): Redactor {
  const known = new Set<string>();
  const redact = ((text: string) => {
    let result = text;
    // Longest first, so that a secret containing another is replaced whole.
    for (const secret of [...known].sort((a, b) => b.length - a.length)) result = result.split(secret).join(REDACTED);
    return result.replace(BEARER, `$1${REDACTED}`).replace(JWT, REDACTED);
  }) as Redactor;
  redact.add = (...more) => {
    // Very short values would redact ordinary words; real tokens and secrets are long.
    for (const secret of more) if (secret && secret.length >= 8) known.add(secret);
  };
  redact.add(...secrets);
  return redact;
}
