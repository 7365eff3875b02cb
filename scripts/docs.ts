/** `npm run docs -- [--out site/index.html]`: the API reference as one self-contained HTML page. */
import path from "node:path";
import { parseCommandLine } from "../src/shared/command-line.js";
import { buildDocs, DEFAULT_DOCS_OUTPUT } from "../src/docs/build.js";

const USAGE = "usage: npm run docs -- [--out <file.html>]";

const values = parseCommandLine("docs", USAGE, { out: { type: "string" } });

try {
  const built = await buildDocs({ output: values.out ?? DEFAULT_DOCS_OUTPUT });
  console.log(`wrote ${path.relative(process.cwd(), built.output)} (${Math.round(built.bytes / 1024)} KiB, no resource from another host)`);
} catch (error) {
  console.error(`docs: ${(error as Error).message}`);
  process.exit(1);
}
