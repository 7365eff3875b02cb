/**
 * Routing compiled once from the spec's path templates: templates are grouped by method and number of segments,
 * so a request is compared with the few templates of its own shape, segment by segment. Literal segments must
 * match exactly, `{name}` segments match any non-empty segment and are percent-decoded. When two templates match
 * (`/organizations/name/connections` fits `/organizations/name/{name}` and `/organizations/{id}/connections`), the
 * more specific one wins, by the rule the response validator shares (src/shared/path-templates.ts).
 */
import { moreSpecificTemplateFirst } from "../shared/path-templates.js";

interface CompiledTemplate<T> {
  /** A literal segment, or `undefined` where the template has a parameter. */
  literals: Array<string | undefined>;
  /** The parameter name at each position (`undefined` at literal positions). */
  names: Array<string | undefined>;
  /** Whether a parameter name is also an `Object.prototype` key, so that its value must go into an object without one. */
  nullPrototype: boolean;
  value: T;
}

export interface RouteMatch<T> {
  value: T;
  params: Record<string, string>;
}

/** `decodeURIComponent`, keeping the raw text when the escape is malformed (validation then refuses it). */
function decodeSegment(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Parameter names that would reach `Object.prototype` through an ordinary object (the spec has none; a guard all the same). */
const unsafeName = (name: string) => name in Object.prototype;

export class TemplateRouter<T> {
  /**
   * Method → templates by their number of segments, the more specific first. Looked up without building a key
   * string per request: the lookup is on the path of every API request.
   */
  private readonly byShape = new Map<string, Array<CompiledTemplate<T>[] | undefined>>();

  /** `entries`: upper-case method, a path template such as `/organizations/{id}/connections`, and what it routes to. */
  constructor(entries: Iterable<{ method: string; template: string; value: T }>) {
    const specificFirst = [...entries].sort((a, b) => moreSpecificTemplateFirst(a.template, b.template));
    for (const { method, template, value } of specificFirst) {
      const segments = template.split("/").slice(1);
      const names = segments.map((segment) => /^\{([^}]+)\}$/.exec(segment)?.[1]);
      const compiled: CompiledTemplate<T> = {
        literals: segments.map((segment, index) => (names[index] === undefined ? segment : undefined)),
        names,
        nullPrototype: names.some((name) => name !== undefined && unsafeName(name)),
        value,
      };
      let bySegmentCount = this.byShape.get(method);
      if (bySegmentCount === undefined) this.byShape.set(method, (bySegmentCount = []));
      (bySegmentCount[segments.length] ??= []).push(compiled);
    }
  }

  /** The template `path` (percent-encoded, starting with `/`) matches for `method`, with its decoded parameters. */
  match(method: string, path: string): RouteMatch<T> | undefined {
    const segments = path.split("/");
    const candidates = this.byShape.get(method)?.[segments.length - 1];
    if (candidates === undefined) return undefined;
    for (const candidate of candidates) {
      const params = matchSegments(candidate, segments);
      if (params) return { value: candidate.value, params };
    }
    return undefined;
  }
}

function matchSegments<T>(template: CompiledTemplate<T>, segments: string[]): Record<string, string> | undefined {
  // An ordinary object (a dictionary-mode one made by Object.create(null) costs several times as much to fill and
  // read); a parameter named like an Object.prototype key would get a prototype-less one.
  const params = template.nullPrototype ? (Object.create(null) as Record<string, string>) : ({} as Record<string, string>);
  for (let index = 0; index < template.literals.length; index += 1) {
    const segment = segments[index + 1] as string;
    const literal = template.literals[index];
    if (literal !== undefined) {
      if (segment !== literal) return undefined;
    } else {
      if (segment === "") return undefined;
      params[template.names[index] as string] = decodeSegment(segment);
    }
  }
  return params;
}
