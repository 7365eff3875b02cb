/**
 * Scrubbing secrets from text a tool writes (client errors, contract logs and reports). A secret is caught whole
 * and in part: any run of SECRET_FRAGMENT_LENGTH characters of it is replaced, so that a server which echoes a
 * secret cut short (a gateway page, its own truncation) or a message cut after the secret's start leaks nothing
 * usable. Each secret is also looked for as it appears when echoed inside a JSON string (`"` and `\` escaped) and
 * form- or percent-encoded.
 */

/** The shortest run of a secret's characters that is replaced; secrets shorter than this are not secrets. */
export const SECRET_FRAGMENT_LENGTH = 8;

/** Control characters (C0, DEL, C1): a header cannot carry them, and a message must not show a value holding them. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}

/** The ways a secret can appear in echoed text. */
export function spellingsOf(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), new URLSearchParams({ s: secret }).toString().slice(2), encodeURIComponent(secret)])];
}

export class SecretFragments {
  readonly #fragments = new Set<string>();
  readonly #secrets = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Adds a secret (ignored when shorter than SECRET_FRAGMENT_LENGTH). */
  add(secret: string | undefined): void {
    if (!secret || secret.length < SECRET_FRAGMENT_LENGTH || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    for (const spelling of spellingsOf(secret)) {
      for (let index = 0; index + SECRET_FRAGMENT_LENGTH <= spelling.length; index += 1)
        this.#fragments.add(spelling.slice(index, index + SECRET_FRAGMENT_LENGTH));
    }
  }

  get size(): number {
    return this.#secrets.size;
  }

  /** The text with every stretch made of a secret's fragments replaced by `replacement` (once per stretch). */
  redact(text: string, replacement: string): string {
    if (this.#fragments.size === 0 || text.length < SECRET_FRAGMENT_LENGTH) return text;
    let result = "";
    let copiedUpTo = 0;
    let coveredUpTo = -1;
    for (let index = 0; index + SECRET_FRAGMENT_LENGTH <= text.length; index += 1) {
      if (!this.#fragments.has(text.slice(index, index + SECRET_FRAGMENT_LENGTH))) continue;
      if (index > coveredUpTo) {
        // A new stretch: copy what came before it, then the replacement.
        result += text.slice(copiedUpTo, index) + replacement;
      }
      coveredUpTo = index + SECRET_FRAGMENT_LENGTH;
      copiedUpTo = coveredUpTo;
    }
    return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
  }
}
