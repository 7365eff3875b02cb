/**
 * Runs Dredd in-process through its JavaScript API and reports each transaction's result as it completes.
 * Dredd's own console output is silenced: the contract runner prints its own progress and summary.
 */
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

export type TransactionStatus = "pass" | "fail" | "skip" | "error";

export interface TransactionResult {
  /** Dredd's id of the transaction, e.g. `POST (201) /organizations`. */
  id: string;
  status: TransactionStatus;
  /** Why it failed (the problems found) or why it was skipped. */
  message: string;
}

export interface DreddRunOptions {
  /** Where Dredd sends its requests, including the API's path prefix: the run's proxy (proxy.ts). */
  endpoint: string;
  specPath: string;
  /** Headers Dredd adds to every transaction (`name:value`): the proxy's run key. */
  headers?: string[];
  /** Per-request timeout, so an unresponsive server cannot hang the run. */
  requestTimeoutMs: number;
  onResult: (result: TransactionResult) => void;
}

export const HOOKS_ADAPTER_FILE = fileURLToPath(new URL("./dredd-hooks.cjs", import.meta.url));

interface DreddTest {
  title?: string;
  message?: string;
  errors?: Array<{ message: string; severity: string }>;
  results?: { fields?: Record<string, { errors?: Array<{ message: string }> }> };
}

interface DreddStats {
  tests: number;
  passes: number;
  failures: number;
  errors: number;
  skipped: number;
}

function silenceDreddConsole(): void {
  for (const module of ["dredd/build/logger", "dredd/build/reporters/reporterOutputLogger"]) {
    const logger = (require(module) as { default: { transports: { console?: { silent: boolean } } } }).default;
    if (logger.transports.console) logger.transports.console.silent = true;
  }
}

/** The most useful sentence about a failed transaction: our hooks' problems first, then Dredd's field errors. */
function failureMessage(test: DreddTest): string {
  const messages = (test.errors ?? []).filter((e) => e.severity === "error").map((e) => e.message.replace(/^Failed in (after|before) hook: /, ""));
  for (const [field, result] of Object.entries(test.results?.fields ?? {})) {
    for (const error of result.errors ?? []) messages.push(`${field}: ${error.message.trim()}`);
  }
  return messages.join("; ") || test.message || "failed";
}

type DreddConstructor = new (config: Record<string, unknown>) => { run(cb: (error: Error | null, stats: DreddStats) => void): void };

/**
 * Dredd's dependencies print two harmless process warnings as Dredd loads, on every run: its logger library touches
 * `padLevels` inside a circular import, and on Node 22 and later `htmlencode` (required by Dredd's xunit reporter)
 * uses the deprecated `util._extend` (DEP0060). A user can do nothing about either, so while Dredd loads — and only
 * then — these two are held back; every other warning passes.
 */
function isDreddLoadNoise(warning: string | Error, typeOrOptions: unknown, code: unknown): boolean {
  const warningCode = typeof typeOrOptions === "object" && typeOrOptions !== null ? (typeOrOptions as { code?: unknown }).code : code;
  return String(warning).includes("padLevels") || (warningCode === "DEP0060" && String(warning).includes("util._extend"));
}

function loadDredd(): DreddConstructor {
  // Put back as it was found (the same function), hence not bound here.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    if (!isDreddLoadNoise(warning, rest[0], rest[1])) (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  };
  try {
    return require("dredd") as DreddConstructor;
  } finally {
    process.emitWarning = emitWarning;
  }
}

export function runDredd(options: DreddRunOptions): Promise<DreddStats> {
  const Dredd = loadDredd();
  silenceDreddConsole();
  const emitter = new EventEmitter();
  const report = (status: TransactionStatus) => (test: DreddTest, callback?: () => void) => {
    const id = test.title ?? "?";
    options.onResult({ id, status, message: status === "fail" ? failureMessage(test) : (test.message ?? "") });
    if (typeof callback === "function") callback();
  };
  emitter.on("test pass", report("pass"));
  emitter.on("test fail", report("fail"));
  emitter.on("test skip", report("skip"));
  emitter.on("test error", (error: Error, test: DreddTest, callback?: () => void) => {
    options.onResult({ id: test?.title ?? "?", status: "error", message: error.message });
    if (typeof callback === "function") callback();
  });

  const dredd = new Dredd({
    endpoint: options.endpoint,
    path: [options.specPath],
    hookfiles: [HOOKS_ADAPTER_FILE],
    // Create before read before update before delete, so that state flows through the run.
    sorted: true,
    loglevel: "silent",
    color: false,
    emitter,
    // No Dredd reporter: its xunit report prints request headers (tokens); the runner writes its own (junit.ts).
    reporter: [],
    output: [],
    http: { timeout: options.requestTimeoutMs },
    header: options.headers ?? [],
  });
  return new Promise((resolve, reject) => {
    dredd.run((error, stats) => (error ? reject(error) : resolve(stats)));
  });
}
