/**
 * How many requests a run will send, counted before it sends any: the run's own plan (plan.ts, fixtures.ts) is
 * walked against a stand-in tenant that answers every request as a well-behaved one would, and every request the
 * walk makes is counted, with each transaction's own request, the lists' second paging style, the drift probes and
 * the clean-up. A tenant that answers otherwise (a 202 while a connection is deleted, a refusal) makes it differ.
 */
import { listOperations } from "../shared/spec.js";
import { probesFor } from "./drift/query-probes.js";
import { type ApiClient, ContractFixtures } from "./fixtures.js";
import type { Journal, JournalEntry } from "./journal.js";
import { prepareTransaction, type TargetCapabilities } from "./plan.js";

/** A stand-in for the typed client: every call succeeds at once and is counted. */
function countingApi(count: () => void, namePrefix: string): ApiClient {
  let serial = 0;
  const answer = (status: number, data?: unknown) => {
    count();
    return Promise.resolve({ data, response: new Response(null, { status: status === 204 ? 204 : status }), error: undefined });
  };
  const call = (method: string) => (path: string, init?: { body?: { name?: string } }) => {
    if (method === "POST" && (path === "/organizations" || path === "/connections"))
      return answer(201, { id: `planned_${(serial += 1)}`, name: init?.body?.name });
    if (method === "POST") return answer(201, {});
    if (method === "DELETE") return answer(204);
    return answer(200, { name: `${namePrefix}planned` });
  };
  return { GET: call("GET"), POST: call("POST"), PATCH: call("PATCH"), DELETE: call("DELETE") } as unknown as ApiClient;
}

/** A journal that keeps its entries in memory only. */
function memoryJournal(runId: string, namePrefix: string): Journal {
  let entries: JournalEntry[] = [];
  return {
    runId,
    namePrefix,
    record: (entry: JournalEntry) => void entries.push(entry),
    forget: (gone: Pick<JournalEntry, "kind" | "id">) => void (entries = entries.filter((e) => !(e.kind === gone.kind && e.id === gone.id))),
    pending: () => [...entries].reverse(),
  } as unknown as Journal;
}

/** The requests a run against a stateful target with these capabilities will send (for Prism: one per transaction). */
export async function plannedRequestCount(capabilities: TargetCapabilities, stateful: boolean): Promise<number> {
  const operations = listOperations();
  const transactions = operations.reduce((sum, op) => sum + Object.keys(op.operation.responses).length, 0);
  if (!stateful) return transactions;
  let requests = 0;
  const count = () => void (requests += 1);
  const runId = "planned";
  const journal = memoryJournal(runId, "contract-test-planned-");
  const fixtures = new ContractFixtures(countingApi(count, journal.namePrefix), journal, runId);
  // Nothing of the dry run may reach a real tenant: a forced status is not forced here.
  const dry: TargetCapabilities = { ...capabilities, forceStatus: capabilities.forceStatus ? async () => {} : undefined };
  await fixtures.setUp();
  const probed = new Set<string>();
  for (const op of operations) {
    for (const code of Object.keys(op.operation.responses)) {
      const status = Number(code);
      const prepared = await prepareTransaction(op, status, fixtures, dry);
      if ("skip" in prepared) continue;
      requests += 1;
      await prepared.afterResponse?.(status, status === 201 ? { id: `planned_tx_${requests}`, name: `${journal.namePrefix}tx` } : undefined);
      if (prepared.otherPagingStyle) requests += 1;
      if (op.method === "get" && status === 200 && !probed.has(op.operationId)) {
        probed.add(op.operationId);
        requests += probesFor(op).length;
      }
    }
  }
  await fixtures.tearDown();
  return requests;
}
