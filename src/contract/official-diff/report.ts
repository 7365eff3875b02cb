/**
 * What `official-diff` prints: the new differences first, each with its operation, pointer and rule; then a count
 * of the decided ones; then the decisions nothing matched any more. Also a Markdown version for a CI job summary.
 */
import type { OfficialComparison, Difference } from "./compare.js";

const shown = (d: Difference) => `${d.operation}  ${d.pointer}  [${d.rule}] ${d.message}`;

export function formatComparison(result: OfficialComparison, heading: string, verbose: boolean): string {
  const fresh = result.differences.filter((d) => !d.decision);
  const decided = result.differences.filter((d) => d.decision);
  const out = [heading, `Read from our spec to Auth0's: "added" is only in Auth0's document, "removed" only in ours.`];
  if (fresh.length > 0) out.push(`New (${fresh.length}):`, ...fresh.map((d) => `  ✗ ${shown(d)}`));
  const adopted = decided.filter((d) => d.decision!.decision === "adopted").length;
  out.push(
    `Decided (${decided.length}): ${adopted} adopted in another form, ${decided.length - adopted} kept different on purpose (openapi/official-decisions.yaml).`,
  );
  if (verbose) out.push(...decided.map((d) => `  • ${shown(d)} — ${d.decision!.decision}: ${d.decision!.topic}`));
  if (result.unused.length > 0) {
    out.push(
      `Decisions that matched nothing (${result.unused.length}): Auth0's document no longer differs there; remove them or adopt Auth0's side:`,
      ...result.unused.map((d) => `  ○ ${d.operation}  ${d.where}  [${d.kind}] (${d.topic})`),
    );
  }
  out.push(
    fresh.length > 0
      ? `${fresh.length} new difference(s) from Auth0's document: adopt each in openapi/ or record it in openapi/official-decisions.yaml.`
      : `Nothing new: all ${result.operations} operations match Auth0's document or differ as decided.`,
  );
  return out.join("\n");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function markdownSummary(result: OfficialComparison, source: string): string {
  const fresh = result.differences.filter((d) => !d.decision);
  const out = [`## Auth0's Management API document`, "", `Compared our ${result.operations} operations with \`${cell(source)}\`.`, ""];
  if (fresh.length === 0) out.push("Nothing new: every difference is decided.");
  else {
    out.push(`**${fresh.length} new difference(s)**`, "", "| Operation | Where | Rule | Detail |", "| --- | --- | --- | --- |");
    for (const d of fresh) out.push(`| \`${cell(d.operation)}\` | \`${cell(d.pointer)}\` | ${d.rule} | ${cell(d.message)} |`);
  }
  if (result.unused.length > 0) out.push("", `${result.unused.length} decision(s) matched nothing: Auth0's document no longer differs there.`);
  return `${out.join("\n")}\n`;
}
