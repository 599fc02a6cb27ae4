/**
 * Writes config/deploy-config.schema.json from the zod schema (`npm run schema`).
 * The committed file is what editors use for autocompletion; a test fails when it is stale.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { configJsonSchema } from "./loader";

export const SCHEMA_PATH = join(__dirname, "deploy-config.schema.json");

export function renderSchema(): string {
  return `${JSON.stringify({ title: "Blue/green delivery config", ...configJsonSchema() }, null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_PATH, renderSchema());
  console.log(`wrote ${SCHEMA_PATH}`);
}
