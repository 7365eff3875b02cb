/** `npm run check:generated`: fail when generated/ is not what `npm run generate` would write now. */
import { findStaleArtifacts } from "../src/spec-tools/generate.js";

const stale = await findStaleArtifacts("redocly.yaml");
if (stale.length > 0) {
  console.error(`generated/ is out of date with openapi/: ${stale.join(", ")} differ.`);
  console.error("Run `npm run generate` and commit the result.");
  process.exit(1);
}
console.log("generated/ is up to date with openapi/.");
