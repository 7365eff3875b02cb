/** `npm run docs -- [--out <file.html>]`: the API reference as one self-contained HTML page (build.ts). */
import path from "node:path";
import { type CommandIo, consoleIo, runCommand } from "../shared/command-line.js";
import { buildDocs, DEFAULT_DOCS_OUTPUT } from "./build.js";

const DOCS = {
  name: "docs",
  usage: `Usage: npm run docs -- [options]

  --out <file.html>  where to write the page (default ${path.relative(process.cwd(), DEFAULT_DOCS_OUTPUT) || DEFAULT_DOCS_OUTPUT})
  -h, --help         show this help`,
  options: { out: { type: "string" } },
} as const;

export function docsCommand(argv: readonly string[], io: CommandIo = consoleIo): Promise<number> {
  return runCommand(DOCS, argv, async (values) => {
    const built = await buildDocs({ output: values.out ?? DEFAULT_DOCS_OUTPUT });
    io.out(`wrote ${path.relative(process.cwd(), built.output)} (${Math.round(built.bytes / 1024)} KiB, no resource from another host)`);
  }, io);
}
