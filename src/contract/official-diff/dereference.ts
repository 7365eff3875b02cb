/**
 * Replaces the `$ref`s of part of an OpenAPI document with what they point at, so that two documents that name
 * their components differently (ours and Auth0's) compare by what the schemas say. Only references inside the
 * document (`#/…`) are followed: a document read from the network must not make this tool read files or other
 * URLs. A reference back into itself (a recursive schema) becomes an open schema `{}` at the point it recurs.
 */
import { OfficialDocumentError } from "./document.js";

type Json = unknown;

/** `value` with every local `$ref` resolved against `root`; siblings of a `$ref` (3.1 allows them) override the target's. */
export function dereferenceLocal(value: Json, root: Json, source: string): Json {
  const resolving: string[] = [];
  const done = new Map<string, Json>();

  const walk = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    const object = node as Record<string, Json>;
    const ref = object.$ref;
    if (typeof ref === "string") {
      const { $ref: _ref, ...siblings } = object;
      const target = resolve(ref);
      const walkedSiblings = Object.fromEntries(Object.entries(siblings).map(([key, child]) => [key, walk(child)]));
      return target && typeof target === "object" && !Array.isArray(target) ? { ...target, ...walkedSiblings } : target;
    }
    return Object.fromEntries(Object.entries(object).map(([key, child]) => [key, walk(child)]));
  };

  const resolve = (ref: string): Json => {
    if (!ref.startsWith("#"))
      throw new OfficialDocumentError(`${source}: the reference "${ref}" points outside the document; only "#/…" references are followed`);
    if (done.has(ref)) return done.get(ref);
    if (resolving.includes(ref)) return {};
    resolving.push(ref);
    const result = walk(pointTo(root, ref, source));
    resolving.pop();
    done.set(ref, result);
    return result;
  };

  return walk(value);
}

/** The value a `#/a/b~1c` JSON pointer names in `root`. */
function pointTo(root: Json, ref: string, source: string): Json {
  let node = root;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!node || typeof node !== "object" || !(key in node)) throw new OfficialDocumentError(`${source}: the reference "${ref}" points at nothing`);
    node = (node as Record<string, Json>)[key];
  }
  return node;
}
