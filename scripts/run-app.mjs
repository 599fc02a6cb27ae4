#!/usr/bin/env node
/**
 * The CDKTF app command (cdktf.json): runs main.ts from a single-file esbuild bundle.
 *
 * Why not ts-node or tsx: ts-node type-checks on every synth (seconds), and even tsx resolves and
 * transpiles a few hundred modules per run. A bundle loads as one file; it is rebuilt (about 0.3 s)
 * only when a file it was built from changed, so `cdktf synth` stays well under a second.
 * Type-checking is a separate step of `npm test` (`npm run typecheck`).
 */
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = join(root, "node_modules", ".cache", "bluegreen-app");
const bundle = join(cacheDir, "main.cjs");
const inputsFile = join(cacheDir, "inputs.json");

/** The bundle is fresh when it is newer than every file it was built from (and those still exist). */
function isFresh() {
  if (!existsSync(bundle) || !existsSync(inputsFile)) return false;
  const built = statSync(bundle).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile, "utf8"));
  return inputs.every((file) => existsSync(file) && statSync(file).mtimeMs <= built);
}

async function rebuild() {
  mkdirSync(cacheDir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, "main.ts")],
    outfile: bundle,
    write: false,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    metafile: true,
    logLevel: "warning",
  });
  const inputs = Object.keys(result.metafile.inputs).map((file) => resolve(root, file));
  // Written to temporary files and renamed: a synth running at the same time never loads half a bundle.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(bundle + suffix, result.outputFiles[0].contents);
  writeFileSync(inputsFile + suffix, JSON.stringify(inputs));
  renameSync(bundle + suffix, bundle);
  renameSync(inputsFile + suffix, inputsFile);
}

if (process.env.BLUEGREEN_REBUILD === "1" || !isFresh()) await rebuild();
createRequire(import.meta.url)(bundle);
