/**
 * Runs Stoplight Prism as a mock of the bundled spec on loopback. Prism answers every operation with the
 * examples written in the spec, validates requests against it (the reason for a 400 goes in the
 * `sl-violations` header) and checks that a bearer token is present. This module starts and stops the
 * process, decides when it is ready, and hands Prism a copy of the spec adjusted for one Prism quirk
 * (see `prepareSpecForPrism`); what Prism answers is otherwise entirely the spec's business.
 *
 * Ready means that this Prism answers, not that something accepts connections on the port: Prism loads for
 * seconds, and its port is visible to every local user meanwhile. The copy of the spec it serves (in a directory
 * only this user can read) gains one extra path with a random name whose example holds a random nonce; the mock is
 * ready when that path answers that nonce. An impostor on the port cannot, and Prism, unable to bind, exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The folder that holds generated/: the repository root here, the package's dist/ once built (its build copies the spec there). */
const SPEC_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DEFAULT_MOCK_SPEC = path.join(SPEC_ROOT, "generated", "openapi.json");
export const DEFAULT_MOCK_PORT = 4010;
/** Prism binds to loopback only: the mock is a development tool, not a service for the network. */
export const MOCK_HOST = "127.0.0.1";

export interface MockOptions {
  port?: number;
  /** The spec to serve; the bundled spec by default. */
  specPath?: string;
  /** Prism's `--errors`: an invalid response example becomes a 500 instead of a logged warning. */
  errors?: boolean;
  /**
   * How long to wait for Prism to accept connections before giving up. Default 45 s: Prism loads in about 3 s on an
   * idle machine, but a CI runner busy with other work has been seen to need more than 20 s.
   */
  readyTimeoutMs?: number;
  /** Where Prism's own output goes (its warnings are worth seeing); collected silently when omitted. */
  output?: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream };
}

export interface RunningMock {
  /** Base URL to send requests to, e.g. `http://127.0.0.1:4010` (the spec's paths hang directly off it). */
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with Prism's exit code (or the signal that ended it) once the process is gone. */
  exited: Promise<number | NodeJS.Signals>;
  /** Sends SIGTERM, waits (bounded) for the process to end, then SIGKILLs it if it is still there. */
  stop(timeoutMs?: number): Promise<void>;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Prism 5.14 (through @stoplight/http-spec) serves a schema's own `example` ahead of the named `examples`
 * of the response that uses it. The spec gives shared schemas such as `ErrorResponse` one illustrative
 * example, so unadjusted Prism answers `Prefer: code=429` with the 404 example body. Schema examples are
 * annotations that validation ignores, so the copy given to Prism drops them wherever a media type has
 * examples of its own: every answer then comes from the response's first example, as the spec intends.
 */
export function prepareSpecForPrism(spec: JsonObject): JsonObject {
  const copy = structuredClone(spec);
  const schemas = isObject(copy.components) && isObject(copy.components.schemas) ? copy.components.schemas : {};
  const stripExamples = (schema: unknown) => {
    if (!isObject(schema)) return;
    const ref = typeof schema.$ref === "string" ? /^#\/components\/schemas\/(.+)$/.exec(schema.$ref) : null;
    const target = ref ? schemas[decodeURIComponent(ref[1]!)] : schema;
    if (isObject(target)) {
      delete target.example;
      delete target.examples;
    }
  };
  // Media type objects sit under `content` in responses and request bodies, inline or in components.
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    if (isObject(node.content)) {
      for (const media of Object.values(node.content)) {
        if (isObject(media) && (media.examples !== undefined || media.example !== undefined)) stripExamples(media.schema);
      }
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(copy.paths);
  visit(isObject(copy.components) ? { responses: copy.components.responses, requestBodies: copy.components.requestBodies } : {});
  putRequestViolationFirst(copy);
  return copy;
}

/**
 * Prism answers every request that fails its validation with the first example of the operation's 400, whatever
 * was wrong: the spec's first one names a misspelt field of its own (`conection_id`), which reads as the request's
 * mistake. In the copy, each 400 answers first with an example that names no field and points to the
 * `sl-violations` header, where Prism puts the real reason; the spec's examples stay available by name.
 */
export const REQUEST_VIOLATION_EXAMPLE = {
  statusCode: 400,
  error: "Bad Request",
  message: "The request does not match the contract. This is the mock's answer to any invalid request: the sl-violations header says what is wrong.",
};

function putRequestViolationFirst(spec: JsonObject): void {
  const responses: unknown[] = [];
  if (isObject(spec.components) && isObject(spec.components.responses)) responses.push(...Object.values(spec.components.responses));
  for (const item of Object.values(isObject(spec.paths) ? spec.paths : {})) {
    for (const operation of Object.values(isObject(item) ? item : {})) {
      if (isObject(operation) && isObject(operation.responses)) responses.push(operation.responses["400"]);
    }
  }
  for (const response of responses) {
    if (!isObject(response) || !isObject(response.content)) continue;
    for (const media of Object.values(response.content)) {
      if (
        !isObject(media) ||
        !isObject(media.examples) ||
        !Object.values(media.examples).some((e) => isObject(e) && isObject(e.value) && e.value.statusCode === 400)
      )
        continue;
      media.examples = { requestViolation: { summary: "Any request the mock finds invalid", value: REQUEST_VIOLATION_EXAMPLE }, ...media.examples };
    }
  }
}

const PRISM_PACKAGE = "@stoplight/prism-cli";

/**
 * Path of Prism's CLI entry, found through the package so that hoisting does not matter. Prism is a dependency
 * of the mock package and an optional peer of the contract package (only `--target prism` needs it), so its
 * absence is a clear error naming the version range the package that holds this code declares.
 */
function prismCliPath(): string {
  const require = createRequire(import.meta.url);
  let pkgPath: string;
  try {
    pkgPath = require.resolve("@stoplight/prism-cli/package.json");
  } catch {
    const manifest = nearestManifest(path.dirname(fileURLToPath(import.meta.url)));
    const range = manifest.dependencies?.[PRISM_PACKAGE] ?? manifest.peerDependencies?.[PRISM_PACKAGE] ?? "";
    throw new Error(`Prism is not installed; the mock runs it: npm install --save-dev "${PRISM_PACKAGE}@${range}"`);
  }
  const pkg = require(pkgPath) as { bin: { prism: string } };
  return path.join(path.dirname(pkgPath), pkg.bin.prism);
}

interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The package.json closest above a folder: in this repository the mock's own, in an installed package that package's. */
function nearestManifest(folder: string): Manifest {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    try {
      return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;
    } catch {
      if (path.dirname(dir) === dir) return {};
    }
  }
}

/** The arguments given to `prism`; `-v warn` keeps it quiet (it logs every request at its default level). */
export function prismArguments(options: { specPath: string; port: number; errors?: boolean }): string[] {
  const args = ["mock", options.specPath, "-h", MOCK_HOST, "-p", String(options.port), "-v", "warn"];
  if (options.errors) args.push("--errors");
  return args;
}

export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65_535;
}

/** True when nothing listens on the loopback port (we can bind it ourselves). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, MOCK_HOST, () => probe.close(() => resolve(true)));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The extra path of one mock's spec: only that Prism answers it, with its nonce. */
interface ReadinessProbe {
  path: string;
  nonce: string;
}

/** Adds the probe's path to the copy of the spec Prism serves (no security: the probe carries no credential). */
export function addReadinessProbe(spec: JsonObject, probe: ReadinessProbe): JsonObject {
  const paths = isObject(spec.paths) ? spec.paths : {};
  paths[probe.path] = {
    get: {
      operationId: "mockReadinessProbe",
      summary: "Answers this mock's own nonce, so that its starter knows it reaches this Prism.",
      security: [],
      responses: { "200": { description: "The nonce.", content: { "application/json": { schema: { type: "object" }, example: { nonce: probe.nonce } } } } },
    },
  };
  return { ...spec, paths };
}

type ProbeAnswer = "this Prism" | "something else" | "nothing";

/**
 * Who answers the probe's path on the port: this Prism (its nonce), something else, or nothing yet. Prism answers
 * its first request slowly on a busy machine (it prepares its routes then), so the wait is the time left to be ready.
 */
async function askProbe(url: string, probe: ReadinessProbe, timeoutMs: number): Promise<ProbeAnswer> {
  try {
    const response = await fetch(`${url}${probe.path}`, { signal: AbortSignal.timeout(Math.max(timeoutMs, 1_000)) });
    const text = await response.text();
    return response.status === 200 && text.includes(probe.nonce) ? "this Prism" : "something else";
  } catch {
    return "nothing";
  }
}

/**
 * Starts Prism and resolves once this Prism answers its readiness probe. Rejects with Prism's own output when it
 * exits early (a port in use — also when another process took it while Prism loaded —, an unreadable spec) or
 * does not become ready within `readyTimeoutMs`.
 */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const port = options.port ?? DEFAULT_MOCK_PORT;
  if (!isValidPort(port)) throw new Error(`invalid port ${String(port)}: expected an integer from 1 to 65535`);
  const specPath = options.specPath ?? DEFAULT_MOCK_SPEC;
  const readyTimeoutMs = options.readyTimeoutMs ?? 45_000;
  const url = `http://${MOCK_HOST}:${port}`;
  // Checked first so that a server already on the port is never mistaken for our Prism being ready.
  if (!(await isPortFree(port))) throw new Error(`port ${port} on ${MOCK_HOST} is already in use; choose another with --port`);

  const prism = prismCliPath();
  const workDir = mkdtempSync(path.join(tmpdir(), "org-connections-mock-"));
  const preparedSpec = path.join(workDir, "openapi.json");
  const probe: ReadinessProbe = { path: `/__mock-ready-${randomBytes(12).toString("hex")}`, nonce: randomBytes(24).toString("hex") };
  try {
    writeFileSync(preparedSpec, JSON.stringify(addReadinessProbe(prepareSpecForPrism(JSON.parse(readFileSync(specPath, "utf8")) as JsonObject), probe)), {
      mode: 0o600,
    });
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw new Error(`cannot read the spec ${specPath}: ${(error as Error).message}`, { cause: error });
  }

  const child = spawn(process.execPath, [prism, ...prismArguments({ specPath: preparedSpec, port, errors: options.errors })], {
    cwd: SPEC_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  if (child.pid === undefined) {
    rmSync(workDir, { recursive: true, force: true });
    throw new Error("could not start Prism");
  }
  const pid = child.pid;

  // Keep the start of Prism's output for error messages; pass everything on when asked to.
  let captured = "";
  const capture = (chunk: Buffer) => {
    if (captured.length < 8_000) captured += chunk.toString("utf8");
  };
  child.stdout?.on("data", (chunk: Buffer) => (options.output?.stdout ? options.output.stdout.write(chunk) : capture(chunk)));
  child.stderr?.on("data", (chunk: Buffer) => (options.output?.stderr ? options.output.stderr.write(chunk) : capture(chunk)));

  let exitedWith: number | NodeJS.Signals | undefined;
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once("exit", (code, signal) => {
      exitedWith = code ?? signal ?? 1;
      rmSync(workDir, { recursive: true, force: true });
      resolve(exitedWith);
    });
  });

  const stop = async (timeoutMs = 5_000) => {
    if (exitedWith !== undefined) return;
    child.kill("SIGTERM");
    const result = await Promise.race([exited, sleep(timeoutMs).then(() => "timeout" as const)]);
    if (result === "timeout") {
      child.kill("SIGKILL");
      await Promise.race([exited, sleep(2_000)]);
    }
  };

  const deadline = Date.now() + readyTimeoutMs;
  let last: ProbeAnswer = "nothing";
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      const impostor = last === "something else" ? `; another process answers on port ${port} — it is not this Prism, so nothing is sent there` : "";
      throw new Error(`Prism exited (${String(exitedWith)}) before it was ready${impostor}${captured ? `:\n${lastLines(captured)}` : ""}`);
    }
    last = await askProbe(url, probe, deadline - Date.now());
    if (last === "this Prism") return { url, pid, child, exited, stop };
    await sleep(100);
  }
  await stop();
  const why = last === "something else" ? `another process answers on ${url} (not this Prism)` : `Prism did not answer on ${url} within ${readyTimeoutMs} ms`;
  throw new Error(`${why}${captured ? `:\n${lastLines(captured)}` : ""}`);
}

/** Prism prints its whole usage text on a fatal error; the cause is at the end. */
function lastLines(text: string, count = 4): string {
  return text.trim().split("\n").slice(-count).join("\n");
}
