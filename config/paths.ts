import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The project root (the folder with cdktf.json), found from this file's location. Files the app reads at
 * synth time (the default config, the buildspec, the Lambda sources) are resolved from it, so the app runs
 * the same from its TypeScript sources and from the single-file bundle `cdktf synth` executes.
 */
export const PROJECT_ROOT = findRoot(__dirname);

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "cdktf.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`cdktf.json not found above ${start}`);
  }
}

/** A path inside the project. */
export function projectPath(...segments: string[]): string {
  return join(PROJECT_ROOT, ...segments);
}
