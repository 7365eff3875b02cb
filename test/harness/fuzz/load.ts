/**
 * Load with faults: many clients of this project (`createManagementClient`, retries on) run a mixed workload for a
 * bounded time against the emulator over loopback HTTP, with a tight rate limit, injected 503s and dropped
 * connections. Each client keeps the state its successful calls imply; a call whose outcome it cannot know (a 503
 * or a dropped connection on a POST or PATCH, which are not retried) is settled the way a careful application
 * would, by reading the link back. At the end, with the faults cleared, the tenant must hold exactly what the
 * clients expect — nothing created twice, nothing lost — and every uncertain call must turn out not to have been
 * applied (the emulator injects its faults before carrying a request out).
 */
import { performance } from "node:perf_hooks";
import { createManagementClient, type ManagementClient, paginate, type RetryEvent } from "../../../src/client/index.js";
import { type EmulatorMiddleware, type RateLimitOptions, type RunningEmulator, type SeedData, startEmulator } from "../../../src/emulator/index.js";

export interface LoadOptions {
  clients: number;
  durationMs: number;
  rateLimit: RateLimitOptions;
  /** Share of /api/v2 requests answered 503 / dropped without an answer. */
  serverErrorFraction: number;
  dropFraction: number;
  /** Connections shared by all clients (each client links them to its own organization). */
  sharedConnections: number;
  /**
   * Operations each client makes at least (even past the deadline, so a slow machine still meets the faults) and
   * at most (so a fast one stays bounded).
   */
  operationsPerClient: { min: number; max: number };
  /** Wrapped around the emulator (to check that the run notices a server that loses answers after acting). */
  middleware?: EmulatorMiddleware[];
}

export interface LoadReport {
  clients: number;
  wallMs: number;
  operations: number;
  /** HTTP attempts, retries included. */
  requests: number;
  retries: Record<string, number>;
  seen429: number;
  seen503: number;
  dropped: number;
  /** Calls whose outcome was unknown and had to be read back. */
  uncertain: number;
  /** Calls that failed for good (after the client's retries) and were not applied. */
  gaveUp: number;
  connectionsCreated: number;
  linksAtEnd: number;
  failures: string[];
}

interface LinkState {
  is_enabled: boolean;
  show_as_button: boolean;
}

/** What one client believes about its own organization. */
interface ClientBelief {
  orgId: string;
  links: Map<string, LinkState>;
  /** Connections it created (by name → id). */
  created: Map<string, string>;
}

const FINISH_GRACE_MS = 45_000;

const orgIdOf = (i: number) => `org_load${String(i).padStart(12, "0")}`;
const connectionIdOf = (i: number) => `con_load${String(i).padStart(12, "0")}`;

function loadSeed(options: LoadOptions): SeedData {
  return {
    organizations: Array.from({ length: options.clients }, (_, i) => ({ id: orgIdOf(i), name: `load-org-${i}` })),
    connections: Array.from({ length: options.sharedConnections }, (_, i) => ({ id: connectionIdOf(i), name: `load-con-${i}`, strategy: "auth0" })),
  };
}

class Tally {
  requests = 0;
  seen429 = 0;
  seen503 = 0;
  dropped = 0;
  operations = 0;
  uncertain = 0;
  gaveUp = 0;
  readonly retries = new Map<string, number>();
  readonly failures: string[] = [];

  /** A fetch that counts what the client's attempts meet. */
  countingFetch = async (request: Request): Promise<Response> => {
    this.requests += 1;
    try {
      const response = await fetch(request);
      if (response.status === 429) this.seen429 += 1;
      if (response.status === 503) this.seen503 += 1;
      return response;
    } catch (error) {
      this.dropped += 1;
      throw error;
    }
  };

  onRetry = (event: RetryEvent) => {
    this.retries.set(event.reason, (this.retries.get(event.reason) ?? 0) + 1);
  };
}

type Outcome<T> = { kind: "ok"; status: number; data: T } | { kind: "refused"; status: number } | { kind: "unknown"; why: string };

/** Runs a client call and sorts its outcome: an answer (2xx or a definite refusal), or unknown (5xx, network). */
async function attempt<T>(call: () => Promise<{ data?: T; response: Response }>): Promise<Outcome<T>> {
  try {
    const { data, response } = await call();
    if (response.ok) return { kind: "ok", status: response.status, data: data as T };
    // 429s left after the retries, like any 4xx, were refused without being carried out.
    if (response.status < 500) return { kind: "refused", status: response.status };
    return { kind: "unknown", why: `status ${response.status}` };
  } catch (error) {
    return { kind: "unknown", why: error instanceof Error ? error.message : String(error) };
  }
}

async function readLink(client: ManagementClient, orgId: string, connectionId: string): Promise<LinkState | null | "unknown"> {
  const outcome = await attempt(() =>
    client.GET("/organizations/{id}/connections/{connection_id}", { params: { path: { id: orgId, connection_id: connectionId } } }),
  );
  if (outcome.kind === "ok") return { is_enabled: outcome.data.is_enabled, show_as_button: outcome.data.show_as_button };
  if (outcome.kind === "refused" && outcome.status === 404) return null;
  return "unknown";
}

async function clientLoop(
  index: number,
  client: ManagementClient,
  belief: ClientBelief,
  options: LoadOptions,
  deadline: number,
  tally: Tally,
  random: () => number,
): Promise<void> {
  const { orgId } = belief;
  const fail = (message: string) => tally.failures.push(`client ${index}: ${message}`);
  const settle = async (connectionId: string, before: LinkState | undefined, what: string) => {
    // The call's outcome is unknown: read it back (the emulator faults before acting, so it must be unapplied).
    tally.uncertain += 1;
    const actual = await readLink(client, orgId, connectionId);
    if (actual === "unknown") return; // checked once more at the end, without faults
    // A timeout is not a fault: the request reached the emulator and may have been carried out after the client
    // gave up (a busy machine answers late). What the read shows is then the truth to go on from.
    if (/timed out/.test(what)) {
      if (actual === null) belief.links.delete(connectionId);
      else belief.links.set(connectionId, actual);
      return;
    }
    const expected = before ?? null;
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      fail(`${what} failed but was applied: now ${JSON.stringify(actual)}, before ${JSON.stringify(expected)}`);
  };

  let created = 0;
  const { min, max } = options.operationsPerClient;
  for (let done = 0; done < max && (done < min || performance.now() < deadline); done += 1) {
    tally.operations += 1;
    const connectionId = connectionIdOf(Math.floor(random() * options.sharedConnections));
    const current = belief.links.get(connectionId);
    const roll = random();
    if (roll < 0.3) {
      const useEnabledFamily = random() < 0.5;
      const show = random() < 0.5;
      const outcome = useEnabledFamily
        ? await attempt(() =>
            client.POST("/organizations/{id}/enabled_connections", {
              params: { path: { id: orgId } },
              body: { connection_id: connectionId, show_as_button: show },
            }),
          )
        : await attempt(() =>
            client.POST("/organizations/{id}/connections", { params: { path: { id: orgId } }, body: { connection_id: connectionId, show_as_button: show } }),
          );
      if (outcome.kind === "ok") {
        if (current) fail(`linking ${connectionId} succeeded although it was linked already`);
        belief.links.set(connectionId, { is_enabled: true, show_as_button: show });
      } else if (outcome.kind === "refused") {
        if (outcome.status === 409 && !current) fail(`linking ${connectionId} answered 409 although it was not linked`);
        if (outcome.status === 429) tally.gaveUp += 1;
      } else await settle(connectionId, current, `linking ${connectionId} (${outcome.why})`);
    } else if (roll < 0.5) {
      const outcome = await attempt(() =>
        client.DELETE("/organizations/{id}/connections/{connection_id}", { params: { path: { id: orgId, connection_id: connectionId } } }),
      );
      if (outcome.kind === "ok") belief.links.delete(connectionId);
      else if (outcome.kind === "unknown") await settle(connectionId, current, `unlinking ${connectionId} (${outcome.why})`);
      else tally.gaveUp += 1;
    } else if (roll < 0.7) {
      const enable = random() < 0.5;
      const outcome = await attempt(() =>
        client.PATCH("/organizations/{id}/connections/{connection_id}", {
          params: { path: { id: orgId, connection_id: connectionId } },
          body: { is_enabled: enable },
        }),
      );
      if (outcome.kind === "ok") {
        if (!current) fail(`updating ${connectionId} succeeded although it was not linked`);
        belief.links.set(connectionId, { is_enabled: enable, show_as_button: current?.show_as_button ?? outcome.data.show_as_button });
      } else if (outcome.kind === "refused") {
        if (outcome.status === 404 && current) fail(`updating ${connectionId} answered 404 although it was linked`);
        if (outcome.status === 429) tally.gaveUp += 1;
      } else await settle(connectionId, current, `updating ${connectionId} (${outcome.why})`);
    } else if (roll < 0.85) {
      const actual = await readLink(client, orgId, connectionId);
      if (actual !== "unknown" && JSON.stringify(actual) !== JSON.stringify(current ?? null))
        fail(`reading ${connectionId} gave ${JSON.stringify(actual)}, expected ${JSON.stringify(current ?? null)}`);
    } else if (roll < 0.95) {
      try {
        const seen = new Set<string>();
        for await (const item of paginate(client, "/organizations/{id}/connections", { params: { path: { id: orgId }, query: { per_page: 3 } } })) {
          if (seen.has(item.connection_id)) fail(`list shows ${item.connection_id} twice`);
          seen.add(item.connection_id);
        }
        const expected = [...belief.links.keys()].sort();
        if (JSON.stringify([...seen].sort()) !== JSON.stringify(expected)) fail(`list shows ${[...seen].sort().join(",")}, expected ${expected.join(",")}`);
      } catch {
        tally.gaveUp += 1; // a page failed for good; the walk is simply abandoned
      }
    } else {
      const name = `load-c${index}-n${created}`;
      created += 1;
      const outcome = await attempt(() => client.POST("/connections", { body: { name, strategy: "auth0" } }));
      if (outcome.kind === "ok") belief.created.set(name, outcome.data.id);
      else if (outcome.kind === "refused" && outcome.status === 409) fail(`creating ${name} answered 409: created twice`);
      else if (outcome.kind === "unknown")
        tally.uncertain += 1; // checked at the end: it must not exist
      else tally.gaveUp += 1;
    }
  }
}

function compareFinalState(emulator: RunningEmulator, beliefs: ClientBelief[], failures: string[]): { connectionsCreated: number; linksAtEnd: number } {
  const snapshot = emulator.state.snapshot();
  let linksAtEnd = 0;
  beliefs.forEach((belief, i) => {
    const actual = new Map(
      snapshot.links
        .filter((l) => l.organization_id === belief.orgId)
        .map((l) => [l.connection_id, { is_enabled: l.is_enabled ?? true, show_as_button: l.show_as_button ?? true }]),
    );
    linksAtEnd += actual.size;
    const expected = [...belief.links].sort(([a], [b]) => a.localeCompare(b));
    const got = [...actual].sort(([a], [b]) => a.localeCompare(b));
    if (JSON.stringify(got) !== JSON.stringify(expected))
      failures.push(`client ${i}: final links ${JSON.stringify(got)} differ from what its successful calls imply ${JSON.stringify(expected)}`);
  });
  const createdNames = new Map(beliefs.flatMap((b) => [...b.created]));
  const loadConnections = snapshot.connections.filter((c) => /^load-c\d+-n\d+$/.test(c.name));
  for (const connection of loadConnections) {
    if (createdNames.get(connection.name) !== connection.id)
      failures.push(`connection ${connection.name} exists though no successful call created it (or under another id)`);
  }
  if (loadConnections.length !== createdNames.size)
    failures.push(`${loadConnections.length} connections were created, the successful calls imply ${createdNames.size}`);
  const names = snapshot.connections.map((c) => c.name);
  if (new Set(names).size !== names.length) failures.push("two connections share a name");
  return { connectionsCreated: loadConnections.length, linksAtEnd };
}

/** A small seeded generator, so a run's workload can be repeated. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

export async function runLoadWithFaults(options: LoadOptions, seed = 1): Promise<LoadReport> {
  const emulator = await startEmulator({
    seed: loadSeed(options),
    rateLimit: options.rateLimit,
    entityLimit: options.sharedConnections,
    middleware: options.middleware,
  });
  const tally = new Tally();
  const started = performance.now();
  try {
    const token = await emulator.issueToken();
    const beliefs: ClientBelief[] = Array.from({ length: options.clients }, (_, i) => ({ orgId: orgIdOf(i), links: new Map(), created: new Map() }));
    const clients = beliefs.map(() =>
      createManagementClient({
        baseUrl: emulator.baseUrl,
        token,
        fetch: tally.countingFetch,
        onRetry: tally.onRetry,
        timeoutMs: 5_000,
        // Short waits: the window is a second long and the faults are frequent.
        retry: { maxRetries: 8, baseDelayMs: 20, maxDelayMs: 3_000, jitterMs: 250 },
      }),
    );
    emulator.faults.set({ status: { code: 503, fraction: options.serverErrorFraction }, drop: { fraction: options.dropFraction } });
    const deadline = performance.now() + options.durationMs;
    let watchdog: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      watchdog = setTimeout(
        () => reject(new Error(`the clients did not finish within ${(options.durationMs + FINISH_GRACE_MS) / 1000} s`)),
        options.durationMs + FINISH_GRACE_MS,
      );
    });
    try {
      await Promise.race([
        Promise.all(clients.map((client, i) => clientLoop(i, client, beliefs[i]!, options, deadline, tally, seededRandom(seed * 7919 + i)))),
        hang,
      ]);
    } finally {
      clearTimeout(watchdog);
    }
    const wallMs = performance.now() - started;
    emulator.faults.clear();
    const { connectionsCreated, linksAtEnd } = compareFinalState(emulator, beliefs, tally.failures);
    return {
      clients: options.clients,
      wallMs,
      operations: tally.operations,
      requests: tally.requests,
      retries: Object.fromEntries(tally.retries),
      seen429: tally.seen429,
      seen503: tally.seen503,
      dropped: tally.dropped,
      uncertain: tally.uncertain,
      gaveUp: tally.gaveUp,
      connectionsCreated,
      linksAtEnd,
      failures: tally.failures,
    };
  } finally {
    await emulator.close();
  }
}
