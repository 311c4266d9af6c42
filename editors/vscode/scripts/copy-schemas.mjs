// Copies the repository's JSON Schemas into the extension, which cannot
// reach ../../schemas once packaged.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const from = join(here, "..", "..", "..", "schemas");
const to = join(here, "..", "schemas");
mkdirSync(to, { recursive: true });
for (const name of ["asl.schema.json", "asl-lint.config.schema.json"]) {
  copyFileSync(join(from, name), join(to, name));
}
