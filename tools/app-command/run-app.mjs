#!/usr/bin/env node
/**
 * The CDKTF app command (cdktf.json): runs main.ts from a cached single-file esbuild bundle
 * (tools/app-command/bundle.mjs says why), so `npm run synth` and `cdktf synth` stay well under a second.
 * Before that, cdktf.json and the generated bindings in .gen must agree (tools/app-command/provider-bindings.cjs).
 */
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { requireBundled } from "./bundle.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { bindingNotices, bindingProblems } = createRequire(import.meta.url)("./provider-bindings.cjs");
let problems;
try {
  problems = bindingProblems(root);
} catch (error) {
  problems = [error.message];
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exitCode = 1;
} else {
  await requireBundled("main.ts", "bluegreen-app");
  for (const notice of bindingNotices(root)) console.log(notice);
}
