/**
 * Keeps the secrets a client holds (tokens, the client secret) so that any text leaving the client — an error
 * message, a retry event — can be scrubbed of them. Auth0 never echoes a token back, but a proxy or a
 * misconfigured gateway in between might, and error messages end up in logs.
 */
import { hasControlCharacter, SecretFragments, SECRET_FRAGMENT_LENGTH } from "../shared/redaction.js";

export const REDACTED = "[REDACTED]";

// Only the most recent access tokens can show up in answers to requests still in flight.
const MAX_RECENT_TOKENS = 8;

export class SecretKeeper {
  readonly #lasting: string[] = [];
  readonly #recentTokens: string[] = [];
  /** Built from the secrets above when first needed after a change (redaction happens on error paths only). */
  #fragments: SecretFragments | undefined;

  /** A secret the client holds for its whole life (a static token, the client secret). */
  rememberLasting(secret: string | undefined): void {
    if (secret && secret.length >= SECRET_FRAGMENT_LENGTH && !this.#lasting.includes(secret)) {
      this.#lasting.push(secret);
      this.#fragments = undefined;
    }
  }

  /** An access token obtained at run time; the oldest are forgotten once newer ones replace them. */
  rememberToken(token: string | undefined): void {
    if (!token || token.length < SECRET_FRAGMENT_LENGTH || this.#recentTokens.includes(token)) return;
    this.#recentTokens.push(token);
    if (this.#recentTokens.length > MAX_RECENT_TOKENS) this.#recentTokens.shift();
    this.#fragments = undefined;
  }

  /**
   * The text with every remembered secret — whole or any 8 characters of it, as it is or as echoed inside a JSON
   * string or form-/percent-encoded — replaced by `[REDACTED]`.
   */
  redact(text: string): string {
    this.#fragments ??= new SecretFragments([...this.#lasting, ...this.#recentTokens]);
    return this.#fragments.redact(text, REDACTED);
  }
}

/**
 * A secret with a control character (CR, LF, NUL…) cannot go into a header or a JSON body as it is, and the
 * platform's own error would quote it whole: it is refused here, in a message that names it without showing it.
 */
export function refuseControlCharacters(secret: string, what: string): string {
  if (hasControlCharacter(secret))
    throw new TypeError(`${what} contains a control character (such as a line break or NUL); a leftover newline from a file or variable is the usual cause.`);
  return secret;
}
