/**
 * Benchmark 3: the same list request with autocannon at 10 connections against three servers side by side —
 * the emulator, Prism and a bare `node:http` server sending the same bytes with no logic (the ceiling on this
 * machine). autocannon runs in this process, each server in its own, so load generator and server never share an
 * event loop (the machine has two cores). Servers take turns in rounds, after a warm-up round each; the medians
 * of the rounds are reported, and each server's resident memory is read after every round (the largest is kept).
 */
import autocannon from "autocannon";
import { LIST_PATH } from "./fixture.js";
import { type BenchServer, cpuTimeOfPid } from "./servers.js";
import { median } from "./stats.js";

export interface ThroughputOptions {
  connections: number;
  /** Seconds per measured round. */
  roundSeconds: number;
  rounds: number;
  warmupSeconds: number;
}

export interface ThroughputResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU time (user + system, from /proc) per request answered, median of the rounds; NaN off Linux. */
  cpuMicrosPerRequest: number;
  /** Responses that were not 2xx, plus errors and timeouts, over all measured rounds (should be 0). */
  failures: number;
  totalRequests: number;
  peakRssBytes: number;
}

async function fire(server: BenchServer, connections: number, seconds: number) {
  return autocannon({
    url: `${server.baseUrl}${LIST_PATH}`,
    headers: { authorization: `Bearer ${server.token}` },
    connections,
    duration: seconds,
    timeout: 10,
  });
}

export async function measureThroughput(servers: readonly BenchServer[], options: ThroughputOptions, log: (line: string) => void): Promise<ThroughputResult[]> {
  const rounds = new Map<string, { rps: number[]; p50: number[]; p99: number[]; cpu: number[]; failures: number; total: number; rss: number }>(
    servers.map((s) => [s.name, { rps: [], p50: [], p99: [], cpu: [], failures: 0, total: 0, rss: 0 }]),
  );
  for (const server of servers) await fire(server, options.connections, options.warmupSeconds);
  for (let round = 0; round < options.rounds; round += 1) {
    for (let k = 0; k < servers.length; k += 1) {
      const server = servers[(round + k) % servers.length] as BenchServer;
      const cpuBefore = cpuTimeOfPid(server.pid);
      const result = await fire(server, options.connections, options.roundSeconds);
      const entry = rounds.get(server.name)!;
      entry.cpu.push(((cpuTimeOfPid(server.pid) - cpuBefore) * 1000) / Math.max(1, result.requests.total));
      entry.rps.push(result.requests.average);
      entry.p50.push(result.latency.p50);
      entry.p99.push(result.latency.p99);
      entry.failures += result.non2xx + result.errors + result.timeouts;
      entry.total += result.requests.total;
      entry.rss = Math.max(entry.rss, await server.rss());
      log(
        `  round ${round + 1}/${options.rounds} ${server.name}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
      );
    }
  }
  return servers.map((s) => {
    const entry = rounds.get(s.name)!;
    return {
      name: s.name,
      requestsPerSecond: median(entry.rps),
      p50Ms: median(entry.p50),
      p99Ms: median(entry.p99),
      cpuMicrosPerRequest: median(entry.cpu),
      failures: entry.failures,
      totalRequests: entry.total,
      peakRssBytes: entry.rss,
    };
  });
}
