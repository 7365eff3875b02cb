/**
 * The command-line convention every project command follows (emulator, contract, mock, docs, diff, bench, fuzz,
 * generate, check:generated): `--help` exits 0 with the usage; a usage error is `<name>: <message>`, a blank line and the
 * usage on stderr, exit 2; a runtime failure is one line without the usage, exit 1; a negative number reaches the
 * command's own check. The commands run in-process here; test/mock/prism.test.ts, test/diff/cli.test.ts and
 * test/package run them as processes.
 */
import { describe, expect, it } from "vitest";
import { main as contractCommand } from "../../src/contract/cli.js";
import { docsCommand } from "../../src/docs/command.js";
import { emulatorCommand } from "../../src/emulator/command.js";
import { mockCommand } from "../../src/mock/command.js";
import { type CommandIo, runCommand, UsageError, wholeNumberOption } from "../../src/shared/command-line.js";
import { diffCommand } from "../../src/spec-tools/diff/command.js";
import { checkGeneratedCommand, generateCommand } from "../../src/spec-tools/generate-command.js";
import { benchCommand } from "../harness/bench/command.js";
import { fuzzCommand } from "../harness/fuzz/command.js";
import { runInProcess } from "../helpers/command-io.js";

const COMMANDS: Array<[string, (argv: readonly string[], io: CommandIo) => Promise<number>]> = [
  ["auth0-emulator", (argv, io) => emulatorCommand([...argv], "auth0-emulator", io)],
  ["auth0-emulator", (argv, io) => emulatorCommand(["exec", ...argv, "--", "true"], "auth0-emulator", io)],
  ["contract", (argv, io) => contractCommand([...argv], {}, io)],
  ["mock", (argv, io) => mockCommand(argv, "npm run mock --", io)],
  ["auth0-mock", (argv, io) => mockCommand(argv, "auth0-mock", io)],
  ["docs", docsCommand],
  ["diff", diffCommand],
  ["bench", benchCommand],
  ["fuzz", fuzzCommand],
  ["generate", generateCommand],
  ["check:generated", checkGeneratedCommand],
];

describe.each(COMMANDS)("%s", (name, command) => {
  it("prints its usage for --help and -h, exit 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const run = await runInProcess(command, [flag]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout).toMatch(/^Usage: /);
    }
  });

  it("reports an unknown option as a usage error: one line, a blank line, the usage, exit 2", async () => {
    const run = await runInProcess(command, ["--colour"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(new RegExp(`^${name}: Unknown option '--colour'.*\\n\\nUsage: `));
  });

  it("takes no positional arguments", async () => {
    const run = await runInProcess(command, ["stray"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^${name}: .*'stray'`));
  });
});

describe("numbers in options", () => {
  it("reads `--port -1` as a port to check, not as a missing value", async () => {
    const run = await runInProcess((argv, io) => mockCommand(argv, "auth0-mock", io), ["--port", "-1"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^auth0-mock: --port must be a whole number from 1 to 65535, not "-1"\n\nUsage: auth0-mock \[options\]/);
    expect(run.stderr).not.toMatch(/ambiguous/);
  });

  it("accepts a negative fuzz seed, and names the range when one is out of it", async () => {
    expect(wholeNumberOption("seed", "-5", -(2 ** 31), 2 ** 31 - 1)).toBe(-5);
    const run = await runInProcess(fuzzCommand, ["--seed", "-3000000000"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^fuzz: --seed must be a whole number from -2147483648 to 2147483647, not "-3000000000"\n\n/);
  });

  it("rejects what is not a whole number", () => {
    for (const text of ["1.5", "1e3", "", "0x10", "--3"]) expect(() => wholeNumberOption("port", text, 0, 65_535), text).toThrow(UsageError);
  });
});

describe("runCommand", () => {
  const definition = { name: "example", usage: "Usage: example [--fail]", options: { fail: { type: "string" } } } as const;

  it("reports a runtime failure in one line, without the usage or a stack trace, exit 1", async () => {
    const run = await runInProcess(
      (argv, io) =>
        runCommand(
          definition,
          argv,
          () => {
            throw new Error("the server went away");
          },
          io,
        ),
      [],
    );
    expect(run).toEqual({ code: 1, stdout: "", stderr: "example: the server went away" });
  });

  it("reports a UsageError thrown by the command itself like a malformed command line", async () => {
    const run = await runInProcess(
      (argv, io) =>
        runCommand(
          definition,
          argv,
          (values) => {
            throw new UsageError(`--fail cannot be "${values.fail}"`);
          },
          io,
        ),
      ["--fail", "-2"],
    );
    expect(run).toEqual({ code: 2, stdout: "", stderr: 'example: --fail cannot be "-2"\n\nUsage: example [--fail]' });
  });

  it("hands the command's own exit code on, 0 when it returns nothing", async () => {
    expect(await runCommand(definition, [], () => 3, { out: () => {}, err: () => {} })).toBe(3);
    expect(await runCommand(definition, [], () => {}, { out: () => {}, err: () => {} })).toBe(0);
  });

  it("hands what follows `--` over as it is when the command declares it, and refuses it otherwise", async () => {
    let handed: string[] = [];
    const withRest = { ...definition, rest: "the command to run" };
    const args = ["--fail", "no", "--", "node", "--port", "-1", "--help"];
    expect(await runCommand(withRest, args, (_values, _context, _positionals, rest) => void (handed = rest), { out: () => {}, err: () => {} })).toBe(0);
    expect(handed).toEqual(["node", "--port", "-1", "--help"]);
    const refused = await runInProcess((argv, io) => runCommand(definition, argv, () => 0, io), args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^example: .*'node'/);
  });

  it("lets the command warn in one line under its name, redacted like its errors", async () => {
    const redacting = { ...definition, redact: (text: string) => text.replaceAll("s3cr3t-value", "[redacted]") };
    const run = await runInProcess(
      (argv, io) =>
        runCommand(
          redacting,
          argv,
          (_values, context) => {
            context.warn("s3cr3t-value was given on the command line");
          },
          io,
        ),
      [],
    );
    expect(run).toEqual({ code: 0, stdout: "", stderr: "example: [redacted] was given on the command line" });
  });
});

describe("one command runner for every command (issue 24)", () => {
  const collect = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) }, out, err };
  };

  it("the emulator command returns its exit code instead of exiting the process: help 0, a usage error one line + usage and 2", async () => {
    const { emulatorCommand } = await import("../../src/emulator/command.js");
    const help = collect();
    expect(await emulatorCommand(["--help"], "auth0-emulator", help.io)).toBe(0);
    expect(help.out.join("\n")).toContain("Usage: auth0-emulator [options]");
    const wrong = collect();
    expect(await emulatorCommand(["--rate-limit", "fast"], "auth0-emulator", wrong.io)).toBe(2);
    expect(wrong.err.join("\n").split("\n")[0]).toBe(
      'auth0-emulator: --rate-limit must look like 50/1000 (a burst of 1 or more, refilled per that many ms), not "fast"',
    );
    expect(wrong.err.join("\n")).toContain("Usage: auth0-emulator [options]");
    const missing = collect();
    expect(await emulatorCommand(["--seed", "/nonexistent/seed.json", "--port", "0"], "auth0-emulator", missing.io)).toBe(2);
    expect(missing.err).toHaveLength(1);
    expect(missing.err[0]).toMatch(/^auth0-emulator: .*\/nonexistent\/seed\.json/);
  });

  it("the contract command redacts a secret from its one line, never from the usage text", async () => {
    const { main } = await import("../../src/contract/cli.js");
    const run = collect();
    expect(await main(["--target", "s3cr3t-token-value"], { AUTH0_TOKEN: "s3cr3t-token-value" }, run.io)).toBe(2);
    const [line, ...rest] = run.err.join("\n").split("\n");
    expect(line).toBe("contract: unknown --target '[redacted]' (expected emulator or prism)");
    expect(rest.join("\n")).toContain("AUTH0_TOKEN              the bearer token");
  });

  it("a failure that is not a usage error is one line and exit 1", async () => {
    const failing = collect();
    const tool = { name: "tool", usage: "Usage: tool", options: {} };
    expect(await runCommand(tool, [], () => Promise.reject(new Error("the disk is full")), failing.io)).toBe(1);
    expect(failing.err).toEqual(["tool: the disk is full"]);
  });
});
