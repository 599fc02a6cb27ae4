/** `npm run docs`: writes the first deploy (tools/first-deploy/steps.ts) into README.md, docs/operations.md and help. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { replaceBetween, TARGETS } from "./render";

const root = join(__dirname, "..", "..");
if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(`usage: npm run docs\n  Writes the first deploy (tools/first-deploy/steps.ts) into ${TARGETS.map((t) => t.file).join(", ")}.`);
  process.exit(0);
}
for (const target of TARGETS) {
  const path = join(root, target.file);
  const text = readFileSync(path, "utf8");
  const next = replaceBetween(text, target.start, target.end, target.render(), target.file);
  if (next !== text) writeFileSync(path, next);
  console.log(`${next === text ? "current" : "wrote"} ${target.file}`);
}
