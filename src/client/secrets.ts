/**
 * Keeps the secrets a client holds (tokens, the client secret) so that any text leaving the client — an error
 * message, a retry event — can be scrubbed of them. Auth0 never echoes a token back, but a proxy or a
 * misconfigured gateway in between might, and error messages end up in logs.
 */
export const REDACTED = "[REDACTED]";

// Strings this short are not credentials; scrubbing them would mangle ordinary text.
const MIN_SECRET_LENGTH = 8;
// Only the most recent access tokens can show up in answers to requests still in flight.
const MAX_RECENT_TOKENS = 8;

export class SecretKeeper {
  readonly #lasting: string[] = [];
  readonly #recentTokens: string[] = [];

  /** A secret the client holds for its whole life (a static token, the client secret). */
  rememberLasting(secret: string | undefined): void {
    if (secret && secret.length >= MIN_SECRET_LENGTH && !this.#lasting.includes(secret)) this.#lasting.push(secret);
  }

  /** An access token obtained at run time; the oldest are forgotten once newer ones replace them. */
  rememberToken(token: string | undefined): void {
    if (!token || token.length < MIN_SECRET_LENGTH || this.#recentTokens.includes(token)) return;
    this.#recentTokens.push(token);
    if (this.#recentTokens.length > MAX_RECENT_TOKENS) this.#recentTokens.shift();
  }

  /**
   * The text with every remembered secret replaced by `[REDACTED]`: as it is, and as it looks when a server echoes
   * it inside a JSON string (`"` and `\` escaped) or a form-encoded body or URL (percent-encoded, spaces as `+`).
   */
  redact(text: string): string {
    let result = text;
    for (const secret of [...this.#lasting, ...this.#recentTokens]) {
      for (const spelling of spellingsOf(secret)) result = result.split(spelling).join(REDACTED);
    }
    return result;
  }
}

/** The ways a secret can appear in echoed text, longest first (so a longer escaped form is not cut by a shorter one). */
function spellingsOf(secret: string): string[] {
  const spellings = new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    new URLSearchParams({ s: secret }).toString().slice(2),
    encodeURIComponent(secret),
  ]);
  return [...spellings].sort((a, b) => b.length - a.length);
}
