/**
 * `npm run generate` (write generated/ from openapi/) and `npm run check:generated` (fail when generated/ is not
 * what `npm run generate` would write now). Both take only `--help`; the paths come from redocly.yaml.
 */
import path from "node:path";
import { type CommandIo, consoleIo, runCommand } from "../shared/command-line.js";
import { findStaleArtifacts, writeArtifacts } from "./generate.js";

const REDOCLY_CONFIG = "redocly.yaml";

const GENERATE = {
  name: "generate",
  usage: `Usage: npm run generate

Writes generated/ (bundled spec, dereferenced copy, TypeScript types) from openapi/, as ${REDOCLY_CONFIG} names them.

  -h, --help    show this help`,
  options: {},
} as const;

const CHECK_GENERATED = {
  name: "check:generated",
  usage: `Usage: npm run check:generated

Exits 1 when generated/ differs from what \`npm run generate\` would write now, 0 when it is up to date.

  -h, --help    show this help`,
  options: {},
} as const;

export function generateCommand(argv: readonly string[], io: CommandIo = consoleIo): Promise<number> {
  return runCommand(
    GENERATE,
    argv,
    async () => {
      const written = await writeArtifacts(REDOCLY_CONFIG);
      for (const file of written) io.out(`wrote ${path.relative(process.cwd(), file)}`);
    },
    io,
  );
}

export function checkGeneratedCommand(argv: readonly string[], io: CommandIo = consoleIo): Promise<number> {
  return runCommand(
    CHECK_GENERATED,
    argv,
    async () => {
      const stale = await findStaleArtifacts(REDOCLY_CONFIG);
      if (stale.length > 0) {
        io.err(`generated/ is out of date with openapi/: ${stale.join(", ")} differ.\nRun \`npm run generate\` and commit the result.`);
        return 1;
      }
      io.out("generated/ is up to date with openapi/.");
      return 0;
    },
    io,
  );
}
