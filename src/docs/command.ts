/**
 * `npm run docs -- [--out <file.html>]`, and `auth0-contract docs` from the installed contract package: the API
 * reference as one self-contained HTML page (build.ts).
 */
import path from "node:path";
import { type CommandIo, consoleIo, runCommand } from "../shared/command-line.js";
import { buildDocs, DEFAULT_DOCS_OUTPUT } from "./build.js";

export interface DocsCommandSettings {
  /** The name messages go by, and the command line the usage shows. */
  name: string;
  invocation: string;
  /** Where the page goes without `--out`. */
  defaultOutput: string;
}

/** In this repository: `npm run docs`, writing site/index.html at its root. */
const REPOSITORY: DocsCommandSettings = { name: "docs", invocation: "npm run docs --", defaultOutput: DEFAULT_DOCS_OUTPUT };

export function docsCommand(argv: readonly string[], io: CommandIo = consoleIo, settings: DocsCommandSettings = REPOSITORY): Promise<number> {
  const definition = {
    name: settings.name,
    usage: `Usage: ${settings.invocation} [options]

  --out <file.html>  where to write the page (default ${path.relative(process.cwd(), settings.defaultOutput) || settings.defaultOutput})
  -h, --help         show this help`,
    options: { out: { type: "string" } },
  } as const;
  return runCommand(
    definition,
    argv,
    async (values) => {
      const built = await buildDocs({ output: values.out ?? settings.defaultOutput });
      io.out(`wrote ${path.relative(process.cwd(), built.output)} (${Math.round(built.bytes / 1024)} KiB, no resource from another host)`);
    },
    io,
  );
}
