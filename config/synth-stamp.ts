/**
 * Which config and which commit made a synthesized output: `cdktf.out/synth-stamp.json`, written by every synth
 * (`npm run synth`, `cdktf synth`, the app command). The tools that read `cdktf.out` (bluegreen, the timeline, the
 * stack commands with --skip-synth) compare it with the config they were given and the checkout they run in, so
 * they never act on stacks synthesized from another config or an older commit.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { PROJECT_ROOT } from "./paths";

export const SYNTH_STAMP_FILE = "synth-stamp.json";

export interface SynthStamp {
  /** The config's path, relative to the project root when inside it. */
  readonly config: string;
  /** SHA-256 of the config file's bytes. */
  readonly configSha256: string;
  /** The commit checked out at synth (`git rev-parse HEAD`); absent outside a git checkout. */
  readonly commit?: string;
}

function shownPath(path: string, root: string): string {
  const inside = relative(root, path);
  return inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside : path;
}

/** The commit checked out in `root`, or undefined (no git, not a checkout). */
export function headCommit(root: string = PROJECT_ROOT): string | undefined {
  const git = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return git.status === 0 ? git.stdout.trim() || undefined : undefined;
}

/** The stamp a synth of `configPath` in this checkout writes. */
export function currentStamp(configPath: string, root: string = PROJECT_ROOT): SynthStamp {
  const commit = headCommit(root);
  return {
    config: shownPath(configPath, root),
    configSha256: createHash("sha256").update(readFileSync(configPath)).digest("hex"),
    ...(commit ? { commit } : {}),
  };
}

export function writeStamp(outdir: string, stamp: SynthStamp): void {
  writeFileSync(join(outdir, SYNTH_STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}

/**
 * Why `outdir` was not synthesized from `configPath` in this checkout, in one line; undefined when it was (or when
 * there is no output at all, which the callers report themselves).
 */
export function staleReason(outdir: string, configPath: string, root: string = PROJECT_ROOT): string | undefined {
  if (!existsSync(join(outdir, "manifest.json"))) return undefined;
  const file = join(outdir, SYNTH_STAMP_FILE);
  if (!existsSync(file)) return `${shownPath(outdir, root)} has no ${SYNTH_STAMP_FILE}: it was synthesized by an older version of this project`;
  let made: Partial<SynthStamp>;
  try {
    made = JSON.parse(readFileSync(file, "utf8")) as Partial<SynthStamp>;
  } catch {
    return `${shownPath(join(outdir, SYNTH_STAMP_FILE), root)} is not valid JSON`;
  }
  const now = currentStamp(configPath, root);
  if (made.config !== now.config) return `${shownPath(outdir, root)} was synthesized from ${made.config ?? "an unknown config"}, not ${now.config}`;
  if (made.configSha256 !== now.configSha256) return `${shownPath(outdir, root)} was synthesized from an earlier version of ${now.config}`;
  if (made.commit !== now.commit) {
    return `${shownPath(outdir, root)} was synthesized at commit ${made.commit?.slice(0, 12) ?? "(none)"}, but ${now.commit?.slice(0, 12) ?? "no commit"} is checked out`;
  }
  return undefined;
}
