#!/usr/bin/env node
/**
 * `npm run test:speed-off [config]`: the speed switch's check (speed/README.md). Synthesizes one example with
 * every speed trick on and with BLUEGREEN_SPEED_TRICKS=off, refuses any byte of difference, then runs the
 * stack tests with the tricks off (jest's code cache and lazy archiver, the token-trace skip, the reused JSON).
 * Default example: config/examples/ecs-native.yaml.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const config = process.argv[2] ?? "config/examples/ecs-native.yaml";
const work = mkdtempSync(join(tmpdir(), "speed-off-"));

function run(command, args, env) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    process.exit(result.status ?? 1);
  }
}

function files(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const outputs = { on: join(work, "on"), off: join(work, "off") };
for (const [mode, outdir] of Object.entries(outputs)) {
  const env = { DEPLOY_CONFIG: config, CDKTF_OUTDIR: outdir, BLUEGREEN_SPEED_TRICKS: mode, BLUEGREEN_REBUILD: "1" };
  run(process.execPath, ["tools/app-command/run-app.mjs"], env);
}
const on = files(outputs.on).map((file) => relative(outputs.on, file)).sort();
const off = files(outputs.off).map((file) => relative(outputs.off, file)).sort();
const differing = [...new Set([...on, ...off])].filter(
  (file) => !on.includes(file) || !off.includes(file) || !readFileSync(join(outputs.on, file)).equals(readFileSync(join(outputs.off, file))),
);
rmSync(work, { recursive: true, force: true });
if (differing.length > 0) {
  console.error(`speed tricks change the synthesized output of ${config}: ${differing.join(", ")}`);
  process.exit(1);
}
console.log(`${config}: ${on.length} files, identical with the speed tricks on and off`);
run("npx", ["jest", "--testPathPatterns", "__tests__/stacks/", "__tests__/architecture/"], { BLUEGREEN_SPEED_TRICKS: "off" });
