/**
 * The emulated account as a whole: moto's own dump of every backend (`/moto-api/data.json`) and the CodeStar
 * stand-in's (`/_standin/state`), to find what a destroy left behind; and emptying a versioned bucket.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PYTHON } from "./server-process";

/** Every model instance the emulator holds, as JSON text, by `<service>.<Model>`. */
export type MotoSnapshot = Readonly<Record<string, readonly string[]>>;

async function getJson(url: string): Promise<Record<string, Record<string, unknown[]>>> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as Record<string, Record<string, unknown[]>>;
}

export async function motoSnapshot(url: string): Promise<MotoSnapshot> {
  const data = { ...(await getJson(`${url}/moto-api/data.json`)), standin: await getJson(`${url}/_standin/state`) };
  const snapshot: Record<string, string[]> = {};
  for (const [service, models] of Object.entries(data)) {
    for (const [model, instances] of Object.entries(models)) snapshot[`${service}.${model}`] = instances.map((i) => JSON.stringify(i));
  }
  return snapshot;
}

/**
 * What AWS keeps after a delete on purpose, so it is not a leftover: a KMS key waits out its deletion window
 * (ScheduleKeyDeletion, 7-30 days), a deregistered task definition revision stays INACTIVE, and IAM's account
 * summary is a counter, not a resource.
 */
const KEPT_BY_AWS: readonly { model: string; test: (instance: Record<string, unknown>) => boolean; why: string }[] = [
  { model: "kms.Key", test: (k) => k.key_state === "PendingDeletion", why: "KMS keys wait out their deletion window" },
  { model: "ecs.TaskDefinition", test: (t) => t.status === "INACTIVE", why: "deregistered revisions stay INACTIVE" },
  { model: "iam.AccountSummary", test: () => true, why: "a counter" },
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
      const name = ["arn", "name", "id", "bucket_name", "key_id", "group_name", "role_name"].map((k) => instance[k]).find((v) => typeof v === "string");
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
