/** Progress lines while a contract run goes, and the summary at its end. */
import type { TransactionResult } from "./dredd.js";

export interface ContractCounts {
  total: number;
  ran: number;
  passed: number;
  failed: number;
  skipped: number;
}

const MARKS: Record<TransactionResult["status"], string> = { pass: "✓", fail: "✗", skip: "-", error: "!" };

export function progressLine(result: TransactionResult, skipReason?: string): string {
  const detail = result.status === "skip" ? skipReason : result.status === "pass" ? "" : result.message;
  return `  ${MARKS[result.status]} ${result.id}${detail ? ` — ${detail}` : ""}`;
}

export function countResults(results: TransactionResult[]): ContractCounts {
  const count = (status: TransactionResult["status"]) => results.filter((r) => r.status === status).length;
  const skipped = count("skip");
  return { total: results.length, ran: results.length - skipped, passed: count("pass"), failed: count("fail") + count("error"), skipped };
}

/** The closing summary: the counts, the failures again, and the skips grouped by reason. */
export function summaryLines(results: TransactionResult[], skipReasons: Map<string, string>): string[] {
  const counts = countResults(results);
  const lines = ["", `${counts.total} transactions: ${counts.ran} ran, ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`];
  const failures = results.filter((r) => r.status === "fail" || r.status === "error");
  if (failures.length > 0) {
    lines.push("Failed:");
    for (const f of failures) lines.push(`  ✗ ${f.id} — ${f.message}`);
  }
  const byReason = new Map<string, number>();
  for (const r of results.filter((r) => r.status === "skip")) {
    const reason = skipReasons.get(r.id) ?? (r.message || "skipped by Dredd");
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  if (byReason.size > 0) {
    lines.push("Skipped:");
    for (const [reason, n] of byReason) lines.push(`  ${n} × ${reason}`);
  }
  return lines;
}
