/**
 * Free-form objects (a connection's `options`, up to Auth0's 1 MB payload) are kept as the JSON text they were
 * stored as, not as objects: a JavaScript object of many small properties takes several times its JSON size in
 * memory, and copying and serializing it for every answer makes a list of large connections take seconds while every
 * other client waits. A view holds the text in a RawJson, and `stringifyReply` splices it into the answer as it is.
 */
import { randomBytes } from "node:crypto";

/** Marks spliced text while one answer is serialized; random, so no stored value can look like one. */
const SPLICE_MARK = `raw-json-${randomBytes(12).toString("hex")}`;
const SPLICE_PATTERN = new RegExp(`"${SPLICE_MARK}:(\\d+)"`, "g");

/** The texts of the RawJson values met by the serialization under way (undefined outside one). */
let splicing: string[] | undefined;

export class RawJson {
  constructor(readonly text: string) {}

  /** Inside stringifyReply a placeholder for the text; anywhere else the parsed value. */
  toJSON(): unknown {
    if (!splicing) return JSON.parse(this.text) as unknown;
    splicing.push(this.text);
    return `${SPLICE_MARK}:${splicing.length - 1}`;
  }
}

/** JSON.stringify, with every RawJson in `value` written as its stored text. */
export function stringifyReply(value: unknown): string {
  const outer = splicing;
  const texts: string[] = [];
  splicing = texts;
  try {
    const json = JSON.stringify(value);
    return texts.length === 0 ? json : json.replace(SPLICE_PATTERN, (_, index: string) => texts[Number(index)] as string);
  } finally {
    splicing = outer;
  }
}
