/** `npm run docs -- [--out dist/docs/index.html]`: the API reference as one self-contained HTML page. */
import path from "node:path";
import { parseArgs } from "node:util";
import { buildDocs, DEFAULT_DOCS_OUTPUT } from "../src/tooling/docs.js";

const USAGE = "usage: npm run docs -- [--out <file.html>]";

let values: { out?: string; help?: boolean };
try {
  ({ values } = parseArgs({ options: { out: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true }));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

try {
  const built = await buildDocs({ output: values.out ?? DEFAULT_DOCS_OUTPUT });
  console.log(`wrote ${path.relative(process.cwd(), built.output)} (${Math.round(built.bytes / 1024)} KiB, no resource from another host)`);
} catch (error) {
  console.error(`docs: ${(error as Error).message}`);
  process.exit(1);
}
