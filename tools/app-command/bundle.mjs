/**
 * Runs a TypeScript entry point from a single-file esbuild bundle, cached under node_modules/.cache.
 *
 * Why not ts-node or tsx: ts-node type-checks on every run (seconds), and even tsx resolves and transpiles a
 * few hundred modules per run. A bundle loads as one file; it is rebuilt (about 0.3 s) only when a file it
 * was built from changed. Type-checking is a separate step of `npm test` (`npm run typecheck`).
 * Used by the app command (tools/app-command/run-app.mjs) and the stack commands (tools/stack-cli/bin.mjs).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { bindingsCacheKey } = createRequire(import.meta.url)("./provider-bindings.cjs");

/** The bundle is fresh when it is newer than every file it was built from (and those still exist). */
function isFresh(bundle, inputsFile) {
  if (!existsSync(bundle) || !existsSync(inputsFile)) return false;
  const built = statSync(bundle).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile, "utf8"));
  return inputs.every((file) => existsSync(file) && statSync(file).mtimeMs <= built);
}

async function rebuild(entry, bundle, inputsFile) {
  // Loaded only when a rebuild is due: importing esbuild costs time that a fresh bundle does not need.
  const { build } = await import("esbuild");
  mkdirSync(dirname(bundle), { recursive: true });
  const result = await build({
    entryPoints: [entry],
    outfile: bundle,
    write: false,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    metafile: true,
    logLevel: "warning",
  });
  const inputs = Object.keys(result.metafile.inputs).map((file) => resolve(root, file));
  // Written to temporary files and renamed: a run starting at the same time never loads half a bundle.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(bundle + suffix, result.outputFiles[0].contents);
  writeFileSync(inputsFile + suffix, JSON.stringify(inputs));
  renameSync(bundle + suffix, bundle);
  renameSync(inputsFile + suffix, inputsFile);
}

/**
 * Loads `entry` (relative to the repository root) from its cached bundle, rebuilding it first when stale
 * (or when BLUEGREEN_REBUILD=1), and returns the bundle's exports.
 */
export async function requireBundled(entry, cacheName) {
  // esbuild follows tsconfig.json's paths into .gen when generated bindings exist (./provider-bindings.cjs): a
  // bundle built against other bindings has a cache of its own, since its input files did not change.
  const bindings = bindingsCacheKey(root);
  const suffix = bindings ? `-gen-${createHash("sha256").update(bindings).digest("hex").slice(0, 12)}` : "";
  const cacheDir = join(root, "node_modules", ".cache", cacheName + suffix);
  const bundle = join(cacheDir, "main.cjs");
  const inputsFile = join(cacheDir, "inputs.json");
  if (process.env.BLUEGREEN_REBUILD === "1" || !isFresh(bundle, inputsFile)) await rebuild(join(root, entry), bundle, inputsFile);
  return createRequire(import.meta.url)(bundle);
}
