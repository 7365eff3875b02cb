/** `npm run generate`: regenerate generated/ from openapi/ (paths come from redocly.yaml). */
import path from "node:path";
import { writeArtifacts } from "../src/spec-tools/generate.js";

const written = await writeArtifacts("redocly.yaml");
for (const file of written) console.log(`wrote ${path.relative(process.cwd(), file)}`);
