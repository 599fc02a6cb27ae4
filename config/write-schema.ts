/**
 * Writes config/deploy-config.schema.json and the README's config reference from the zod schema (`npm run schema`).
 * The committed file is what editors use for autocompletion; a test fails when it is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { configJsonSchema } from "./loader";
import { projectPath } from "./paths";
import { withConfigReference } from "./reference";

export const SCHEMA_PATH = projectPath("config", "deploy-config.schema.json");
export const README_PATH = projectPath("README.md");

export function renderSchema(): string {
  return `${JSON.stringify({ title: "Blue/green delivery config", ...configJsonSchema() }, null, 2)}\n`;
}

if (require.main === module && (process.argv.includes("--help") || process.argv.includes("-h"))) {
  console.log("usage: npm run schema\n  Writes config/deploy-config.schema.json and the README's config reference from config/schema.ts.");
} else if (require.main === module) {
  writeFileSync(SCHEMA_PATH, renderSchema());
  writeFileSync(README_PATH, withConfigReference(readFileSync(README_PATH, "utf8")));
  console.log(`wrote ${SCHEMA_PATH} and the config reference in ${README_PATH}`);
}
