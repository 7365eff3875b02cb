/**
 * Which operation a request path calls when two of the spec's path templates match it. Auth0's own paths overlap:
 * `/organizations/name/connections` fits `/organizations/name/{name}` (an organization named "connections") and
 * `/organizations/{id}/connections` (an organization whose id is "name"). Like most HTTP routers, the template whose
 * first differing segment is literal wins — here the lookup by name: no organization id is "name", while
 * "connections" is a valid organization name. The emulator's router and the response validator both order their
 * templates with this one rule, so they always agree on the operation.
 */

const isParameter = (segment: string) => segment.startsWith("{") && segment.endsWith("}");

/** Sort comparator: the more specific template first (a literal segment beats a parameter at the first difference). */
export function moreSpecificTemplateFirst(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const leftIsParameter = isParameter(left[index]!);
    if (leftIsParameter !== isParameter(right[index]!)) return leftIsParameter ? 1 : -1;
  }
  return 0;
}
