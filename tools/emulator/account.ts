/**
 * The emulated account as a whole, through the services' own list calls (tools/emulator/inventory.py), to find
 * what a destroy left behind; and emptying a versioned bucket.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PYTHON } from "./server-process";

/** Ids by `<service> <kind>` (e.g. `elbv2 load balancers`), each prefixed with its region. */
export type Inventory = Readonly<Record<string, readonly string[]>>;

function python(script: string, args: readonly string[]): string {
  const result = spawnSync(PYTHON, [join(__dirname, script), ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 180_000 });
  if (result.status !== 0) {
    const why = result.error?.message ?? (result.stderr.trim().split("\n").pop() || `exit ${result.status}`);
    throw new Error(`${script} ${args.join(" ")} failed: ${why}`);
  }
  return result.stdout.trim();
}

export function inventory(url: string, regions: readonly string[]): Inventory {
  return JSON.parse(python("inventory.py", [url, ...regions])) as Inventory;
}

/** What `after` holds that `before` did not: one line per leftover. */
export function leftovers(before: Inventory, after: Inventory): string[] {
  return Object.entries(after).flatMap(([kind, ids]) => ids.filter((id) => !(before[kind] ?? []).includes(id)).map((id) => `${kind}: ${id}`));
}

/** Deletes every object version and delete marker of a bucket in the emulator; returns how many. */
export function emptyBucket(url: string, bucket: string, region: string): number {
  return Number(python("empty_bucket.py", [url, bucket, region]));
}
