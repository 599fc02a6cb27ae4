/**
 * Reads a synthesized `cdktf.out` folder: the manifest's stacks (tools/stack-cli/manifest.ts), each with its
 * Terraform JSON and a digest of its assets (Lambda archives), which the JSON only names by path.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { readManifest } from "../stack-cli/manifest";

/** The parts of a synthesized stack's Terraform JSON this folder reads; everything else is compared as data. */
export interface TerraformJson {
  readonly terraform?: {
    readonly backend?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    readonly cloud?: Readonly<Record<string, unknown>>;
    readonly required_providers?: Readonly<Record<string, unknown>>;
  };
  readonly data?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly [block: string]: unknown;
}

/** One stack of a synthesized app. */
export interface SynthStack {
  /** The stack's name in the manifest (its construct id). */
  readonly name: string;
  /** Absolute path of its working directory (where `terraform init` runs). */
  readonly dir: string;
  readonly json: TerraformJson;
  /** sha256 over the stack's asset files (path and content); empty when it has none. */
  readonly assetsDigest: string;
}

/** Every stack of the cdktf output folder `outdir`, by name. Throws a one-line error when it holds no usable manifest. */
export function readSynth(outdir: string): Map<string, SynthStack> {
  const stacks = new Map<string, SynthStack>();
  for (const { name, workingDirectory, synthesizedStackPath } of readManifest(outdir)) {
    const json = JSON.parse(readFileSync(synthesizedStackPath, "utf8")) as TerraformJson;
    stacks.set(name, { name, dir: workingDirectory, json, assetsDigest: digestTree(join(workingDirectory, "assets")) });
  }
  return stacks;
}

function digestTree(root: string): string {
  if (!existsSync(root)) return "";
  const hash = createHash("sha256");
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${entry}/`);
      else hash.update(`${prefix}${entry}\0`).update(readFileSync(path)).update("\0");
    }
  };
  walk(root, "");
  return hash.digest("hex");
}

/**
 * Where a stack keeps its state, as one comparable string: `s3:<bucket>/<key>`, `tfc:<organization>/<workspace>`
 * (HCP Terraform, through a `cloud` block or the `remote` backend) or `<backend>:<canonical config>`.
 */
export function stateLocation(json: TerraformJson): string | undefined {
  const cloud = json.terraform?.cloud;
  if (cloud) return tfcLocation(cloud);
  const [type, config] = Object.entries(json.terraform?.backend ?? {})[0] ?? [];
  return type && config ? backendLocation(type, config) : undefined;
}

/** The state a `terraform_remote_state` data source reads, in the form of {@link stateLocation}. */
export function remoteStateLocation(source: Readonly<Record<string, unknown>>): string | undefined {
  const type = source.backend;
  const config = (source.config ?? {}) as Record<string, unknown>;
  return typeof type === "string" ? backendLocation(type, config) : undefined;
}

function backendLocation(type: string, config: Readonly<Record<string, unknown>>): string {
  if (type === "s3") return `s3:${String(config.bucket)}/${String(config.key)}`;
  if (type === "remote" || type === "cloud") return tfcLocation(config);
  if (type === "local") return `local:${String(config.path ?? "terraform.tfstate")}`;
  return `${type}:${JSON.stringify(config, Object.keys(config).sort())}`;
}

function tfcLocation(config: Readonly<Record<string, unknown>>): string {
  const workspaces = (config.workspaces ?? {}) as { name?: string; prefix?: string };
  return `tfc:${String(config.organization)}/${workspaces.name ?? `${workspaces.prefix ?? ""}*`}`;
}
