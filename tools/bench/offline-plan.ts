/**
 * Benchmark only: the offline init / validate / plan of one synthesized stack directory, timed per phase.
 * Prints one JSON line `{ "init": ms, "validate": ms, "plan": ms }`; reuses the tests' offline-Terraform helper.
 * Usage: tsx tools/bench/offline-plan.ts <stack dir>
 */
import { rmSync } from "node:fs";
import { PLUGIN_DIR, offlineTerraformUnavailable, prepareOfflineRoot, terraform } from "../offline-terraform";

function timed(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const stackDir = process.argv[2];
const unavailable = offlineTerraformUnavailable();
if (!stackDir || unavailable) {
  console.error(unavailable ?? "usage: offline-plan.ts <stack dir>");
  process.exit(1);
}
const root = prepareOfflineRoot({ stack: stackDir });
try {
  const init = timed(() => terraform(root.dir, ["init", "-backend=false", `-plugin-dir=${PLUGIN_DIR}`, "-input=false", "-no-color"]));
  const validate = timed(() => terraform(root.dir, ["validate", "-no-color"]));
  const plan = timed(() => terraform(root.dir, ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color"]));
  console.log(JSON.stringify({ init, validate, plan }));
} finally {
  rmSync(root.dir, { recursive: true, force: true });
}
