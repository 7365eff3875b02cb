/**
 * The Dredd hooks of a contract run. Dredd 14 neither validates OpenAPI 3 response bodies against their schemas
 * (it infers a schema from the example) nor knows how to provoke an error status, so the hooks:
 * - before each transaction, turn Dredd's example request into one that provokes the documented status on the
 *   target (see plan.ts), or skip it with a reason;
 * - before validation, check the real response against the spec (Ajv 2020 over the dereferenced spec: status,
 *   content type, body, declared headers) and fail the transaction with the problems found.
 * Dredd itself is left to compare only the status code.
 */
import { createResponseValidator } from "../shared/response-validation.js";
import { findOperation, type Operation } from "../shared/spec.js";
import type { DriftCheck } from "./drift/check.js";
import type { ContractFixtures } from "./fixtures.js";
import { type AuthMode, type PreparedRequest, prepareTransaction, type TargetCapabilities } from "./plan.js";
import { EXPECT_429_HEADER, PROXY_ERROR_HEADER } from "./proxy.js";

/** The parts of a Dredd transaction the hooks read and write. */
export interface DreddTransaction {
  id: string;
  name: string;
  fullPath: string;
  origin: { resourceName: string };
  request: { method: string; uri: string; headers: Record<string, string>; body: string };
  expected: { statusCode: string | number; headers?: unknown; body?: unknown; bodySchema?: unknown };
  real?: { statusCode: number; headers: Record<string, string>; body?: string };
  skip?: boolean;
  fail?: boolean | string;
}

type Done = () => void;
export interface DreddHooks {
  beforeEach(hook: (transaction: DreddTransaction, done: Done) => void): void;
  beforeEachValidation(hook: (transaction: DreddTransaction, done: Done) => void): void;
}

export interface HookRuntime {
  capabilities: TargetCapabilities;
  /** Path prefix of the endpoint Dredd calls (e.g. `/api/v2`), prepended to every request path. */
  basePath: string;
  tokens: { full: string; narrow?: string };
  /** Absent for stateless targets (Prism), whose transactions use the spec's example requests. */
  fixtures?: ContractFixtures;
  /** Why each skipped transaction was skipped, by transaction id. */
  skipReasons: Map<string, string>;
  /** Set when the run is being interrupted: no transaction may set anything up any more. */
  stopping?: boolean;
  /** Why it stops, when not an interruption (e.g. `the token expired at …`): the skipped transactions' reason. */
  stopReason?: string;
  /** Hook work under way, so that clean-up can wait for it instead of racing it. */
  inFlight: Set<Promise<void>>;
  /** Holds every answer to the spec beyond validity (what the target does that the spec does not describe). */
  drift?: DriftCheck;
}

const HOOK_REGISTRY = Symbol.for("auth0-org-connections-toolkit.contract.hooks");

/** Publishes the hooks for the Dredd adapter file (dredd-hooks.cjs) to pick up; returns a function to withdraw them. */
export function publishHooks(runtime: HookRuntime): { registered: () => boolean; withdraw: () => void } {
  let registered = false;
  (globalThis as Record<symbol, unknown>)[HOOK_REGISTRY] = (hooks: DreddHooks) => {
    registerContractHooks(hooks, runtime);
    registered = true;
  };
  return { registered: () => registered, withdraw: () => delete (globalThis as Record<symbol, unknown>)[HOOK_REGISTRY] };
}

/** A token whose signature no longer matches its content. */
function tamperSignature(token: string): string {
  const [header, payload, signature = ""] = token.split(".");
  return `${header}.${payload}.${[...signature].reverse().join("")}`;
}

function authorization(auth: AuthMode, tokens: HookRuntime["tokens"]): string | undefined {
  switch (auth) {
    case "full":
      return `Bearer ${tokens.full}`;
    case "narrow":
      return tokens.narrow ? `Bearer ${tokens.narrow}` : undefined;
    case "bad-signature":
      return `Bearer ${tamperSignature(tokens.full)}`;
    case "none":
      return undefined;
  }
}

function setHeader(headers: Record<string, string>, name: string, value: string | undefined): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  if (value !== undefined) headers[name] = value;
}

function applyRequest(transaction: DreddTransaction, prepared: PreparedRequest, runtime: HookRuntime): void {
  const query = prepared.query ? `?${new URLSearchParams(prepared.query).toString()}` : "";
  transaction.request.uri = `${prepared.path}${query}`;
  transaction.fullPath = `${runtime.basePath}${transaction.request.uri}`;
  setHeader(transaction.request.headers, "Authorization", authorization(prepared.auth, runtime.tokens));
  if (prepared.body !== undefined) {
    transaction.request.body = JSON.stringify(prepared.body);
    setHeader(transaction.request.headers, "Content-Type", "application/json");
  } else {
    transaction.request.body = "";
    setHeader(transaction.request.headers, "Content-Type", undefined);
  }
  for (const [name, value] of Object.entries(prepared.headers ?? {})) setHeader(transaction.request.headers, name, value);
}

function parseJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Semantic checks a schema cannot express. The list schemas accept both variants (`oneOf` array | page object),
 * but a request with `include_totals=true` must get the page object.
 */
function semanticProblems(status: number, query: URLSearchParams, body: unknown): string[] {
  if (status !== 200 || !Array.isArray(body)) return [];
  if (query.get("include_totals") === "true") return ["body is a plain array although the request asked for include_totals=true"];
  if (query.has("take")) return ["body is a plain array although the request paged by checkpoint (take)"];
  return [];
}

const queryOf = (uri: string) => new URLSearchParams(uri.includes("?") ? uri.slice(uri.indexOf("?") + 1) : "");

/** Problems of a list's answer in its other paging style (see PreparedRequest.otherPagingStyle), each marked so. */
async function otherPagingStyleProblems(
  op: Operation,
  other: OtherPagingStyle,
  runtime: HookRuntime & { fixtures: ContractFixtures },
  validate: ReturnType<typeof createResponseValidator>,
): Promise<string[]> {
  const answer = await runtime.fixtures.getText(other.path, other.query);
  runtime.drift?.inspect(op, answer);
  const label = `with ${new URLSearchParams(other.query).toString()}`;
  const problems = answer.status === 200 ? validate(op, answer) : [`status ${answer.status}, expected 200`];
  return [...problems, ...semanticProblems(answer.status, new URLSearchParams(other.query), parseJson(answer.body))].map((problem) => `${label}: ${problem}`);
}

interface OtherPagingStyle {
  path: string;
  query: Record<string, string>;
}

export function registerContractHooks(hooks: DreddHooks, runtime: HookRuntime): void {
  const validate = createResponseValidator();
  const operations = new Map<string, Operation>();
  const afterResponse = new Map<string, NonNullable<PreparedRequest["afterResponse"]>>();
  const otherPagingStyles = new Map<string, OtherPagingStyle>();

  const skip = (transaction: DreddTransaction, reason: string) => {
    transaction.skip = true;
    runtime.skipReasons.set(transaction.id, reason);
  };

  /** Runs a hook's async work, recording it as in flight and always calling Dredd's `done`. */
  const track = (transaction: DreddTransaction, done: Done, what: string, work: () => Promise<void>) => {
    const running = work()
      .catch((error: unknown) => {
        transaction.fail = `could not ${what}: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => {
        runtime.inFlight.delete(running);
        done();
      });
    runtime.inFlight.add(running);
  };

  hooks.beforeEach((transaction, done) => {
    track(transaction, done, "set up the transaction", async () => {
      const status = Number(transaction.expected.statusCode);
      // Report transactions by their path template: the example ids in Dredd's own id are replaced below.
      transaction.id = `${transaction.request.method} (${status}) ${transaction.origin.resourceName}`;
      if (runtime.stopping) return skip(transaction, runtime.stopReason ?? "the run was interrupted");
      const op = findOperation(transaction.request.method, transaction.origin.resourceName);
      if (!op) return skip(transaction, `${transaction.request.method} ${transaction.origin.resourceName} is not an operation of the spec`);
      operations.set(transaction.id, op);
      // Dredd would compare the body with the example and the headers with the example's; the spec checks replace that.
      delete transaction.expected.body;
      delete transaction.expected.bodySchema;
      delete transaction.expected.headers;

      if (!runtime.fixtures) {
        // A stateless mock: send the spec's example request and ask for the status under test.
        setHeader(transaction.request.headers, "Authorization", status === 401 ? undefined : `Bearer ${runtime.tokens.full}`);
        if (status !== 401) setHeader(transaction.request.headers, "Prefer", `code=${status}`);
        if (status === 429) setHeader(transaction.request.headers, EXPECT_429_HEADER, "1");
        return;
      }
      const prepared = await prepareTransaction(op, status, runtime.fixtures, runtime.capabilities);
      if ("skip" in prepared) return skip(transaction, prepared.skip);
      applyRequest(transaction, prepared, runtime);
      if (prepared.afterResponse) afterResponse.set(transaction.id, prepared.afterResponse);
      if (prepared.otherPagingStyle) otherPagingStyles.set(transaction.id, { path: prepared.path, query: prepared.otherPagingStyle });
    });
  });

  hooks.beforeEachValidation((transaction, done) => {
    track(transaction, done, "check the response", async () => {
      const op = operations.get(transaction.id);
      if (!op || !transaction.real) return;
      const proxyError = Object.entries(transaction.real.headers).find(([name]) => name.toLowerCase() === PROXY_ERROR_HEADER)?.[1];
      if (proxyError) {
        transaction.fail = decodeURIComponent(proxyError);
        return;
      }
      const body = transaction.real.body ?? "";
      const parsed = parseJson(body);
      // The static token lapsed while this transaction was on its way: that is what failed, not the contract.
      if (runtime.stopReason && transaction.real.statusCode === 401 && Number(transaction.expected.statusCode) !== 401) {
        // Said instead of Dredd's "expected 201, got 401", which would read as a broken contract.
        transaction.expected.statusCode = String(transaction.real.statusCode);
        transaction.fail = runtime.stopReason;
        return;
      }
      await afterResponse.get(transaction.id)?.(transaction.real.statusCode, parsed);
      const problems = [
        ...validate(op, { status: transaction.real.statusCode, headers: transaction.real.headers, body }),
        ...semanticProblems(transaction.real.statusCode, queryOf(transaction.request.uri), parsed),
      ];
      const other = otherPagingStyles.get(transaction.id);
      runtime.drift?.inspect(op, { status: transaction.real.statusCode, headers: transaction.real.headers, body });
      const { fixtures } = runtime;
      if (other && fixtures) problems.push(...(await otherPagingStyleProblems(op, other, { ...runtime, fixtures }, validate)));
      if (fixtures && op.method === "get" && transaction.real.statusCode === 200) {
        await runtime.drift?.probeOnce(op, transaction.request.uri.split("?")[0] ?? "", (path, query) => fixtures.getText(path, query));
      }
      if (problems.length > 0) transaction.fail = problems.join("; ");
    });
  });
}
