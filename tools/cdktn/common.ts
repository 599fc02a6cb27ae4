/** What the cdktn check's steps share: where things are, how a step fails, the reviewed list. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Difference, formatDifference, review, ReviewedDifference } from "./compare";
import { OfflineTools } from "./offline";

export const ROOT = resolve(__dirname, "..", "..");
export const TOOL = join(ROOT, "tools", "cdktn");
export const OFFLINE: OfflineTools = {
  terraform: process.env.TERRAFORM_BIN ?? "/usr/local/bin/terraform",
  pluginDir: process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins",
  awsVersion: "5.100.0",
};

/** tools/cdktn/reviewed.json: the differences a person reviewed, per comparison. */
export interface Reviewed {
  /** cdktf + @cdktf/provider-aws against cdktn + @cdktn/provider-aws, every example. */
  readonly synth: readonly ReviewedDifference[];
  /** prebuilt @cdktn/provider-aws against bindings generated into .gen, the default example. */
  readonly gen: readonly ReviewedDifference[];
  /** Schema change of a module the project imports -> why it is acceptable. */
  readonly schema: Readonly<Record<string, string>>;
}

/** A failed step: one line (plus the listed details), printed without a stack trace. */
export class CheckFailed extends Error {}

export function fail(message: string): never {
  throw new CheckFailed(message);
}

export const seconds = (start: number) => `${((Date.now() - start) / 1000).toFixed(1)} s`;

export const lastLines = (text: string, count = 3) => text.trim().split("\n").slice(-count).join(" | ");

/** Differences against the reviewed list: fails listing the unreviewed, and the reviewed that no longer occur. */
export function requireReviewed(differences: readonly Difference[], reviewed: readonly ReviewedDifference[], section: string): void {
  const { unreviewed, unused } = review(differences, reviewed);
  if (unreviewed.length === 0 && unused.length === 0) return;
  for (const d of unreviewed.slice(0, 30)) console.error(`  unreviewed: ${formatDifference(d)}`);
  for (const rule of unused) console.error(`  no longer occurs: ${rule.path}: ${JSON.stringify(rule.before)} -> ${JSON.stringify(rule.after)}`);
  fail(`${unreviewed.length} unreviewed and ${unused.length} stale differences (listed above): review them into "${section}" of tools/cdktn/reviewed.json`);
}

/** sha256 of every file under `dir`, by relative path. */
export function treeHashes(dir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else hashes[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(dir);
  return hashes;
}
