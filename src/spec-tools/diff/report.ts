/** Prints a comparison for people: breaking changes first, each with the rule that classified it. */
import type { Change } from "../../shared/spec-compare.js";

export function formatChanges(changes: Change[], heading: string): string {
  const breaking = changes.filter((c) => c.breaking);
  const other = changes.filter((c) => !c.breaking);
  const line = (c: Change) => `  ${c.breaking ? "✗" : "•"} ${c.where}: ${c.message} [${c.rule}]`;
  const out = [heading];
  if (changes.length === 0) out.push("No changes.");
  if (breaking.length > 0) out.push(`Breaking changes (${breaking.length}):`, ...breaking.map(line));
  if (other.length > 0) out.push(`Other changes (${other.length}):`, ...other.map(line));
  out.push(breaking.length > 0 ? `${breaking.length} breaking change(s) for clients.` : "No breaking change for clients.");
  return out.join("\n");
}
