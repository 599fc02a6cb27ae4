import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** `npm run bench --help`: what a run measures and how long it takes, before anything runs (the bench itself is never a test). */

const ROOT = join(__dirname, "..", "..", "..");
const help = () => spawnSync(process.execPath, ["tools/bench/bench.mjs", "--help"], { cwd: ROOT, encoding: "utf8" });

test("--help says how long a full run and a quick run take, and measures nothing", () => {
  const result = help();
  expect(result.status).toBe(0);
  expect(result.stderr).toBe("");
  expect(result.stdout).toMatch(/^A full run \(defaults\) takes about \d+(\.\d)? min on an idle 2-core machine, --quick about \d+(\.\d)? min; a busy machine takes longer\.$/m);
});

test("--help lists every metric id --only takes, the Node 22 / 24 comparison included", () => {
  expect(help().stdout).toContain("--only a,b       only these metric ids: app, npmsynth, template, cdktf, nodes, plan, jest, npmtest");
});
