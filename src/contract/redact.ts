/**
 * Keeps secrets out of everything a run prints or writes (progress, summary, errors, the JUnit report): the
 * tokens and client secret it knows of are replaced wherever they appear, whole or any 8 characters of them
 * (src/shared/redaction.ts), and so is anything that looks like a bearer credential or a JWT — which also covers
 * tokens the run minted or received and variants of them (a token with a tampered signature still carries the
 * original's header and payload).
 */
import { SecretFragments } from "../shared/redaction.js";

const REDACTED = "[redacted]";
const BEARER = /(\bBearer\s+)[^\s"'<>,;]+/gi;
const JWT = /\beyJ[\w-]*\.[\w-]+\.[\w-]*/g;

export interface Redactor {
  (text: string): string;
  /** Adds secrets learned later (e.g. a token obtained with client credentials). */
  add(...secrets: Array<string | undefined>): void;
}

export function createRedactor(secrets: Array<string | undefined> = []): Redactor {
  const known = new SecretFragments();
  const redact = ((text: string) => known.redact(text, REDACTED).replace(BEARER, `$1${REDACTED}`).replace(JWT, REDACTED)) as Redactor;
  redact.add = (...more) => {
    // Values shorter than 8 characters are not taken: they would redact ordinary words.
    for (const secret of more) known.add(secret);
  };
  redact.add(...secrets);
  return redact;
}

/** The secrets a run's options carry, and where its lines go (default: stdout). */
export interface OutputOptions {
  token?: string;
  narrowToken?: string;
  clientSecret?: string;
  log?: (line: string) => void;
}

/** The redactor of the options' secrets, and the log that goes through it. */
export function redactedOutput(options: OutputOptions): { redact: Redactor; log: (line: string) => void } {
  const redact = createRedactor([options.token, options.narrowToken, options.clientSecret]);
  const print = options.log ?? ((line: string) => console.log(line));
  return { redact, log: (line: string) => print(redact(line)) };
}
