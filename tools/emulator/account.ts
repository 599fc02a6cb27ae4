/**
 * The emulated account as a whole: every instance moto and the CodeStar stand-in hold (the server's
 * `/_emulator/inventory`), to find what a destroy left behind; and emptying a versioned bucket.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PYTHON } from "./server-process";

/** Every model instance the emulator holds, as JSON text, by `<service>.<Model>`. */
export type MotoSnapshot = Readonly<Record<string, readonly string[]>>;

export async function motoSnapshot(url: string): Promise<MotoSnapshot> {
  const response = await fetch(`${url}/_emulator/inventory`);
  if (!response.ok) throw new Error(`GET ${url}/_emulator/inventory: HTTP ${response.status} (the emulator's log says why)`);
  const inventory = (await response.json()) as Record<string, unknown[]>;
  return Object.fromEntries(Object.entries(inventory).map(([model, instances]) => [model, instances.map((i) => JSON.stringify(i))]));
}

/**
 * What AWS keeps after a delete on purpose, so it is not a leftover: a KMS key waits out its deletion window
 * (ScheduleKeyDeletion, 7-30 days) and a deregistered task definition revision stays INACTIVE.
 */
const KEPT_BY_AWS: readonly { model: string; test: (instance: Record<string, unknown>) => boolean; why: string }[] = [
  { model: "kms.Key", test: (k) => k.key_state === "PendingDeletion", why: "KMS keys wait out their deletion window" },
  { model: "ecs.TaskDefinition", test: (t) => t.status === "INACTIVE", why: "deregistered revisions stay INACTIVE" },
];

/** Instances present after that were not there before, other than what AWS keeps on purpose. */
export function leftovers(before: MotoSnapshot, after: MotoSnapshot): string[] {
  const found: string[] = [];
  for (const [model, instances] of Object.entries(after)) {
    const earlier = new Set(before[model] ?? []);
    for (const text of instances) {
      if (earlier.has(text)) continue;
      const instance = JSON.parse(text) as Record<string, unknown>;
      if (KEPT_BY_AWS.some((k) => k.model === model && k.test(instance))) continue;
      const name = ["arn", "name", "id", "key_id"].map((k) => instance[k]).find((v) => typeof v === "string");
      found.push(`${model}: ${String(name ?? text.slice(0, 200))}`);
    }
  }
  return found;
}

/** Deletes every object version and delete marker of a bucket in the emulator; returns how many. */
export async function emptyBucket(url: string, bucket: string): Promise<number> {
  const result = spawnSync(PYTHON, [join(__dirname, "empty_bucket.py"), url, bucket], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`emptying s3://${bucket} failed: ${result.stderr.trim().split("\n").pop()}`);
  return Number(result.stdout.trim());
}
