/**
 * Runs the Redocly CLI for the project's commands (`npm run lint`, `npm run docs`). Redocly CLI 2.x prints a
 * 12-line boxed "Node.js 20 support is ending" banner on stderr for every run on Node 20, and has no setting
 * to turn it off. Node 20 is still supported here, so that one banner is taken out of the child's stderr;
 * everything else it prints (other notices, warnings, errors) passes through unchanged, as does its exit code.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

/** The banner's marker line; a box is dropped only when it contains this. */
export const NODE_20_BANNER_MARKER = "Node.js 20 support is ending";

const BOX_TOP = /^\s*╔═*╗\s*$/;
const BOX_BOTTOM = /^\s*╚═*╝\s*$/;

/** Path of the Redocly CLI's entry file, found through its package so that hoisting does not matter. */
export function redoclyCliPath(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve("@redocly/cli/package.json");
  const pkg = require(pkgPath) as { bin: { redocly: string } };
  return path.join(path.dirname(pkgPath), pkg.bin.redocly);
}

/**
 * A line filter over a text stream (fed in chunks of any size): it holds back a box (╔…╚ lines) until the box
 * ends, then drops it, with the blank line printed just before it, if it is the Node 20 banner, and passes it
 * on otherwise. `end()` flushes whatever is held back.
 */
export function createBannerFilter(write: (text: string) => void): { push(chunk: string): void; end(): void } {
  let partial = "";
  let box: string[] | undefined;
  let heldBlank: string | undefined;
  const emit = (line: string) => {
    if (heldBlank !== undefined) write(heldBlank);
    heldBlank = undefined;
    write(line);
  };
  const onLine = (line: string) => {
    if (box) {
      box.push(line);
      if (!BOX_BOTTOM.test(line)) return;
      const lines = box;
      box = undefined;
      if (lines.some((l) => l.includes(NODE_20_BANNER_MARKER))) heldBlank = undefined;
      else for (const l of lines) emit(l);
      return;
    }
    if (BOX_TOP.test(line)) {
      box = [line];
      return;
    }
    if (line.trim() === "") {
      // A blank line may belong to the banner that follows; hold one back until the next line decides.
      if (heldBlank !== undefined) write(heldBlank);
      heldBlank = line;
      return;
    }
    emit(line);
  };
  return {
    push(chunk) {
      partial += chunk;
      let newline: number;
      while ((newline = partial.indexOf("\n")) !== -1) {
        onLine(partial.slice(0, newline + 1));
        partial = partial.slice(newline + 1);
      }
    },
    end() {
      if (partial) onLine(partial);
      partial = "";
      for (const line of box ?? []) emit(line);
      box = undefined;
      if (heldBlank !== undefined) write(heldBlank);
      heldBlank = undefined;
    },
  };
}

/** Removes the Node 20 banner from text that is already complete (e.g. a captured stderr). */
export function withoutNodeBanner(text: string): string {
  let out = "";
  const filter = createBannerFilter((line) => (out += line));
  filter.push(text);
  filter.end();
  return out;
}

/**
 * Runs `redocly <args>` with stdin and stdout inherited and stderr filtered, and resolves with its exit code.
 * Redocly colours its output only on a terminal; since its stderr is now a pipe, colour is asked for
 * explicitly when ours is a terminal (and NO_COLOR is not set).
 */
export function runRedocly(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  const env = { ...process.env, ...options.env };
  if (process.stderr.isTTY && env.NO_COLOR === undefined && env.FORCE_COLOR === undefined) env.FORCE_COLOR = "1";
  const child = spawn(process.execPath, [redoclyCliPath(), ...args], { cwd: options.cwd, env, stdio: ["inherit", "inherit", "pipe"] });
  const filter = createBannerFilter((text) => process.stderr.write(text));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => filter.push(chunk));
  return new Promise((resolve) => {
    child.once("error", (error) => {
      filter.end();
      process.stderr.write(`redocly: ${error.message}\n`);
      resolve(1);
    });
    child.once("close", (code, signal) => {
      filter.end();
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
