import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { zipSync } from "fflate";

/** Zip entries get a fixed timestamp so the same sources always give the same archive (and no Lambda update). */
const FIXED_MTIME = new Date("1980-01-01T00:00:00Z");
const zipped = new Map<string, string>();

/**
 * Zips a folder in-process and returns the archive's path (memoized per process).
 * cdktf's own `AssetType.ARCHIVE` spawns a Node process per asset to zip (about 0.3 s each), which
 * dominated synth time with one hook per environment and made a fleet of services slow.
 */
export function zipDirectory(directory: string): string {
  const cached = zipped.get(directory);
  if (cached) return cached;
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const file of listFiles(directory)) {
    files[relative(directory, file).split("\\").join("/")] = [readFileSync(file), { mtime: FIXED_MTIME }];
  }
  const archive = zipSync(files, { level: 9 });
  const digest = createHash("sha256").update(archive).digest("hex").slice(0, 16);
  const folder = join(tmpdir(), "bluegreen-lambda-bundles", digest);
  const target = join(folder, "archive.zip");
  if (!existsSync(target)) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(target, archive);
  }
  zipped.set(directory, target);
  return target;
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return listFiles(path);
      // Type declarations serve the tests only; the Lambda runtime does not load them.
      return entry.name.endsWith(".d.ts") ? [] : [path];
    });
}

/** A Lambda deployment package built from `directory` at synth time, copied into the stack's assets. */
export function lambdaBundle(scope: Construct, id: string, directory: string): TerraformAsset {
  return new TerraformAsset(scope, id, { path: zipDirectory(directory), type: AssetType.FILE });
}

/**
 * The runtime of the project's own Lambda functions (smoke-test hook, deployed-image tagger). nodejs22.x: Lambda
 * deprecated nodejs20.x with Node 20's end of life (2026-04-30) and then blocks creating functions on it;
 * nodejs22.x is supported until 2027-04-30 (Lambda's runtime table). nodejs24.x is newer, but the offline
 * provider (5.100.0) refuses it, so moving there waits for an offline check that can validate it.
 */
export const LAMBDA_NODE_RUNTIME = "nodejs22.x";
