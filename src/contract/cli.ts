/**
 * The `contract` command (`npm run contract`, and the package's `auth0-contract` bin): parses arguments and the
 * AUTH0_* environment, runs the contract or the cleanup, and turns the outcome into an exit code —
 * 0 all passed, 1 a transaction failed or the target could not be used, 2 a usage error.
 */
import { parseArgs } from "node:util";
import { ContractTargetError, ContractUsageError } from "./errors.js";
import { cleanupLeftovers, type ContractOptions, runContract } from "./run.js";
import type { ContractTargetOptions } from "./targets.js";

export const USAGE = `Usage: contract [options]

Checks a server against the OpenAPI contract with Dredd, transaction by transaction.

Targets (default: start the embedded emulator on a free loopback port):
  --target prism           start Prism on the bundled spec and check it
  --base-url URL           check a running server (loopback only unless --live)
  --token TOKEN            its bearer token (or AUTH0_TOKEN)
  --narrow-token TOKEN     a valid token without the operations' scopes, for the 403 checks (or AUTH0_NARROW_TOKEN)
  --live                   check the live tenant AUTH0_DOMAIN, with AUTH0_TOKEN or AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET

Options:
  --junit FILE             also write a JUnit report
  --cleanup                delete what interrupted runs against the target left behind (per the journal), then exit
  --journal FILE           the journal of created resources (default .contract-journal.json)
  --spec FILE              the bundled spec to check against (default: the package's generated/openapi.json)
  --help                   show this text

Exit codes: 0 every transaction passed, 1 a transaction failed or the target could not be used, 2 usage error.`;

/** Reads the arguments and environment into run options; throws ContractUsageError on a bad combination. */
export function parseContractArguments(argv: string[], env: NodeJS.ProcessEnv): { help: boolean; cleanup: boolean; options: ContractOptions } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        target: { type: "string" },
        "base-url": { type: "string" },
        token: { type: "string" },
        "narrow-token": { type: "string" },
        live: { type: "boolean", default: false },
        junit: { type: "string" },
        cleanup: { type: "boolean", default: false },
        journal: { type: "string" },
        spec: { type: "string" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new ContractUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.target !== undefined && values.target !== "emulator" && values.target !== "prism") {
    throw new ContractUsageError(`unknown --target '${values.target}' (expected emulator or prism)`);
  }
  const chosen = [values.target !== undefined, values["base-url"] !== undefined, values.live].filter(Boolean).length;
  if (chosen > 1) throw new ContractUsageError("choose one target: --target, --base-url or --live");

  const target: ContractTargetOptions = {
    target: values.target as ContractTargetOptions["target"],
    baseUrl: values["base-url"],
    token: values.token ?? env.AUTH0_TOKEN,
    narrowToken: values["narrow-token"] ?? env.AUTH0_NARROW_TOKEN,
    live: values.live,
    domain: env.AUTH0_DOMAIN,
    clientId: env.AUTH0_CLIENT_ID,
    clientSecret: env.AUTH0_CLIENT_SECRET,
    audience: env.AUTH0_AUDIENCE,
  };
  return {
    help: values.help,
    cleanup: values.cleanup,
    options: { ...target, junitFile: values.junit, journalFile: values.journal, specPath: values.spec, handleSignals: true },
  };
}

/** Runs the command; returns the exit code instead of exiting, so it can be tested in-process. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, io = { out: console.log, err: console.error }): Promise<number> {
  let parsed;
  try {
    parsed = parseContractArguments(argv, env);
  } catch (error) {
    io.err(`contract: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.out(USAGE);
    return 0;
  }
  const options = { ...parsed.options, log: io.out };
  try {
    if (parsed.cleanup) {
      const { failures } = await cleanupLeftovers(options);
      return failures.length === 0 ? 0 : 1;
    }
    const report = await runContract(options);
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof ContractUsageError) {
      io.err(`contract: ${error.message}`);
      return 2;
    }
    if (error instanceof ContractTargetError) {
      io.err(`contract: ${error.message}`);
      return 1;
    }
    io.err(`contract: the run failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
