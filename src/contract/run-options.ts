/**
 * What a user gives a contract run, and the one place it is read: `settleRun` (and, for `--cleanup`, `settleTarget`)
 * turns the options into what the run uses — paths checked, the journal directory, the drift accepted, the target's
 * address parsed once, where requests may go and where the tokens come from — before any work starts. Every mistake
 * is a usage error (exit 2) said here; nothing after this reads the options again.
 */
import { existsSync } from "node:fs";
import type { EmulatorMiddleware } from "../emulator/index.js";
import { isLoopbackHostname } from "../shared/loopback.js";
import { AddressError, addressOfBaseUrl, addressOfDomain, type ManagementAddress } from "../shared/management-address.js";
import { BUNDLED_SPEC_FILE } from "../shared/spec.js";
import { type AcceptedDrift, acceptedDrift, AcceptedDriftError, type AcceptedEntry, projectAcceptedDrift, readAcceptedDriftFile } from "./drift/accepted.js";
import { ContractUsageError } from "./errors.js";
import { checkJournalDir, DEFAULT_JOURNAL_DIR } from "./journal.js";
import { checkReportPath } from "./junit.js";
import type { Destination } from "./outbound.js";
import { redactedOutput, type Redactor } from "./redact.js";
import type { TokenChoice } from "./run-tokens.js";

export interface ContractTargetOptions {
  target?: "emulator" | "prism";
  baseUrl?: string;
  token?: string;
  narrowToken?: string;
  live?: boolean;
  domain?: string;
  clientId?: string;
  clientSecret?: string;
  audience?: string;
  /** For the embedded emulator: middleware around it (used to check that broken variants fail the contract). */
  emulatorMiddleware?: EmulatorMiddleware[];
}

export interface ContractOptions extends ContractTargetOptions {
  /** Write a JUnit report here. */
  junitFile?: string;
  /** The directory of per-run journals (default `.contract-journal` in the working directory). */
  journalDir?: string;
  /** The bundled spec to check against (default: the package's `generated/openapi.json`). */
  specPath?: string;
  /** Receives every line of progress and summary (default: stdout). Secrets are redacted before. */
  log?: (line: string) => void;
  /**
   * Clean up on SIGINT/SIGTERM (or an uncaught error), then call this with the exit code (130/143/1): the command's
   * bin passes `process.exit`, since only a bin exits the process.
   */
  handleSignals?: (exitCode: number) => void;
  /** How to finish an interrupted clean-up, shown after a second Ctrl-C (the CLI sets this). */
  cleanupCommand?: string;
  /** At most this many requests per second (`--max-rps`). */
  maxRps?: number;
  /** `--cleanup` also lists the target for resources of runs that started at least this long ago (`--older-than`). */
  olderThanMs?: number;
  requestTimeoutMs?: number;
  /** Fail the run (report.ok false) when the target does anything the spec does not describe and nobody accepted. */
  failOnDrift?: boolean;
  /** Also write the drift found as JSON here (`--drift-report`). */
  driftReportFile?: string;
  /** Drift the team has decided about, in addition to the project's own list. */
  acceptedDrift?: AcceptedEntry[];
  /** A file with more of it (`--drift-accepted FILE`, JSON or YAML). */
  driftAcceptedFile?: string;
}

/** Each attempt on the wire. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** The server a run checks. */
export type ServerChoice =
  /** The default: an emulator started on a free loopback port for this run. */
  | { kind: "embedded-emulator"; middleware?: EmulatorMiddleware[] }
  /** `--target prism`: Prism started on the bundled spec. */
  | { kind: "prism" }
  /** `--base-url` (loopback), or `--live` (the tenant's domain): a server that is already running. */
  | { kind: "running"; address: ManagementAddress; live: boolean; description?: string };

/** The target as the run will reach it. */
export interface TargetPlan {
  server: ServerChoice;
  /** Where requests may go: loopback hosts, or (with `--live`) exactly the tenant's domain. */
  destination: Destination;
  tokens: TokenChoice;
  /** The user's own token without the scopes, for the 403 checks. */
  narrowToken?: string;
  /** Each attempt's time on the wire. */
  requestTimeoutMs: number;
}

/** Everything a contract run uses, settled from its options. */
export interface RunSettings {
  target: TargetPlan;
  specPath: string;
  journalDir: string;
  junitFile?: string;
  driftReportFile?: string;
  failOnDrift: boolean;
  /** The drift accepted: the project's, the caller's and the `--drift-accepted` file's. */
  accepted: AcceptedDrift;
  maxRps?: number;
  /** Hides every secret the run knows of (it learns more as it obtains tokens). */
  redact: Redactor;
  /** Every line of progress and summary, redacted. */
  log: (line: string) => void;
  handleSignals?: (exitCode: number) => void;
  cleanupCommand?: string;
  olderThanMs?: number;
  /** The client secret marks the run's resources as this tenant user's (see run-mark.ts). */
  clientSecret?: string;
}

const LOOPBACK: Destination = { live: false };

/** Any bearer token will do for Prism: it only checks that one is present. */
const PRISM_TOKEN = "prism-accepts-any-token";

/**
 * The address of a server that is already running: `AUTH0_DOMAIN` with `--live` (a scheme or path around it is
 * dropped; a token or client credentials are required), else `--base-url`, which must be a loopback host.
 */
function runningServer(options: ContractTargetOptions, tokens: TokenChoice): Extract<ServerChoice, { kind: "running" }> {
  if (options.live) {
    const domain = options.domain?.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
    if (!domain) throw new ContractUsageError("--live needs AUTH0_DOMAIN (e.g. your-tenant.eu.auth0.com)");
    let address: ManagementAddress;
    try {
      address = addressOfDomain(domain);
    } catch (error) {
      if (!(error instanceof AddressError)) throw error;
      throw new ContractUsageError(`AUTH0_DOMAIN ${error.message}`);
    }
    if (tokens.kind === "minted") throw new ContractUsageError("--live needs AUTH0_TOKEN, or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET");
    return { kind: "running", address, live: true, description: `the live tenant ${domain}` };
  }
  const baseUrl = options.baseUrl ?? "";
  let address: ManagementAddress;
  try {
    address = addressOfBaseUrl(baseUrl);
  } catch (error) {
    if (!(error instanceof AddressError)) throw error;
    throw new ContractUsageError(`--base-url '${baseUrl}' is not a URL`);
  }
  if (!isLoopbackHostname(address.hostname)) {
    throw new ContractUsageError(`refusing to send requests to ${address.hostname}: without --live a run only talks to loopback hosts`);
  }
  return { kind: "running", address, live: false };
}

/** The user's token, else client credentials, else (on an emulator) tokens its admin API mints. */
function userTokens(options: ContractTargetOptions): TokenChoice {
  if (options.token) return { kind: "token", token: options.token };
  if (options.clientId && options.clientSecret)
    return { kind: "client-credentials", clientId: options.clientId, clientSecret: options.clientSecret, audience: options.audience };
  return { kind: "minted" };
}

/** The target from the options: which server, where requests may go, and where the tokens come from. */
export function settleTarget(options: ContractTargetOptions & { requestTimeoutMs?: number }): TargetPlan {
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  if (options.live || options.baseUrl) {
    const tokens = userTokens(options);
    const server = runningServer(options, tokens);
    const destination: Destination = server.live ? { live: true, tenantHost: server.address.hostname } : LOOPBACK;
    return { server, destination, tokens, narrowToken: options.narrowToken, requestTimeoutMs };
  }
  if (options.target === "prism") return { server: { kind: "prism" }, destination: LOOPBACK, tokens: { kind: "token", token: PRISM_TOKEN }, requestTimeoutMs };
  return { server: { kind: "embedded-emulator", middleware: options.emulatorMiddleware }, destination: LOOPBACK, tokens: { kind: "minted" }, requestTimeoutMs };
}

/**
 * The run's settings; everything that can be checked before any work is checked here, as usage errors (exit 2): the
 * spec, `--max-rps`, the target, the report paths, the journal directory and the `--drift-accepted` file.
 */
export async function settleRun(options: ContractOptions): Promise<RunSettings> {
  const specPath = options.specPath ?? BUNDLED_SPEC_FILE;
  if (!existsSync(specPath)) throw new ContractUsageError(`the spec ${specPath} does not exist; run \`npm run generate\` (or pass --spec FILE)`);
  if (options.maxRps !== undefined && !(options.maxRps > 0)) throw new ContractUsageError("--max-rps must be a number above 0");
  const target = settleTarget(options);
  if (options.junitFile) checkReportPath(options.junitFile, "--junit");
  if (options.driftReportFile) checkReportPath(options.driftReportFile, "--drift-report");
  const journalDir = options.journalDir ?? DEFAULT_JOURNAL_DIR;
  checkJournalDir(journalDir);
  let usersAccepted: AcceptedEntry[] = [];
  try {
    if (options.driftAcceptedFile !== undefined) usersAccepted = await readAcceptedDriftFile(options.driftAcceptedFile);
  } catch (error) {
    throw error instanceof AcceptedDriftError ? new ContractUsageError(error.message) : error;
  }
  const accepted = acceptedDrift([...projectAcceptedDrift(), ...(options.acceptedDrift ?? []), ...usersAccepted]);
  return {
    ...redactedOutput(options),
    target,
    specPath,
    journalDir,
    junitFile: options.junitFile,
    driftReportFile: options.driftReportFile,
    failOnDrift: options.failOnDrift ?? false,
    accepted,
    maxRps: options.maxRps,
    handleSignals: options.handleSignals,
    cleanupCommand: options.cleanupCommand,
    olderThanMs: options.olderThanMs,
    clientSecret: options.clientSecret,
  };
}
