/**
 * Terraform on synthesized stacks with no AWS account and no internet: the AWS provider from the filesystem mirror,
 * mock credentials with every account lookup skipped, no backend. The same rules as the project's offline harness
 * (tools/offline-terraform.ts), for the copy the cdktn check builds.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run";

export interface OfflineTools {
  readonly terraform: string;
  readonly pluginDir: string;
  /** The AWS provider version in the mirror. */
  readonly awsVersion: string;
}

type StackJson = {
  terraform?: { backend?: unknown; required_providers?: Record<string, { version?: string }> };
  provider?: Record<string, Record<string, unknown>[]>;
  data?: Record<string, unknown>;
  variable?: Record<string, unknown>;
};

/** The offline form of a stack's JSON: no backend, mock credentials, and (unless keepVersion) the mirror's provider version. */
export function offlineJson(stack: StackJson, tools: OfflineTools, options: { keepVersion?: boolean } = {}): StackJson {
  const copy = JSON.parse(JSON.stringify(stack)) as StackJson;
  delete copy.terraform?.backend;
  const aws = copy.terraform?.required_providers?.aws;
  if (aws && !options.keepVersion) aws.version = tools.awsVersion;
  for (const provider of copy.provider?.aws ?? []) {
    Object.assign(provider, {
      access_key: "mock-access-key",
      secret_key: "mock-secret-key",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
  }
  return copy;
}

/** Rewrites a synthesized cdk.tf.json in place into its offline form. */
export function offlineStack(file: string, tools: OfflineTools): void {
  writeFileSync(file, JSON.stringify(offlineJson(JSON.parse(readFileSync(file, "utf8")) as StackJson, tools)));
}

async function terraform(tools: OfflineTools, dir: string, args: readonly string[]): Promise<string> {
  const result = await run(tools.terraform, args, { cwd: dir, env: { TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", AWS_EC2_METADATA_DISABLED: "true" } });
  if (result.code !== 0) throw new Error(`terraform ${args[0]} failed in ${dir}: ${(result.stderr || result.stdout).trim().split("\n").slice(-6).join(" | ")}`);
  return result.stdout;
}

/**
 * One Terraform root whose modules are the synthesized stacks that only use the AWS provider and read no other
 * stack's state, so one init and validate cover them all.
 */
export function offlineRoot(outdir: string, tools: OfflineTools, options: { keepVersion?: boolean } = {}): { stacks: string[]; validate: () => Promise<void> } {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { workingDirectory: string }> };
  const dir = join(outdir, "offline-root");
  mkdirSync(dir);
  const modules: Record<string, Record<string, unknown>> = {};
  for (const [name, { workingDirectory }] of Object.entries(manifest.stacks)) {
    const stackDir = join(outdir, workingDirectory);
    const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as StackJson;
    if (Object.keys(json.provider ?? {}).join() !== "aws" || json.data?.terraform_remote_state) continue;
    cpSync(stackDir, join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "cdk.tf.json"), JSON.stringify(offlineJson(json, tools, options)));
    // Assets (Lambda archives) are referenced relative to the working directory: the root's.
    if (existsSync(join(stackDir, "assets"))) cpSync(join(stackDir, "assets"), join(dir, "assets"), { recursive: true });
    const optIn = json.variable?.deploy_embedded_demo ? { deploy_embedded_demo: true } : {};
    modules[name] = { source: `./${name}`, ...optIn };
  }
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ module: modules }, null, 2));
  const init = () => terraform(tools, dir, ["init", "-backend=false", `-plugin-dir=${tools.pluginDir}`, "-input=false", "-no-color"]);
  const validate = async () => {
    const result = JSON.parse(await terraform(tools, dir, ["validate", "-json", "-no-color"])) as { valid: boolean; error_count: number; diagnostics?: { summary: string; detail: string }[] };
    if (!result.valid) throw new Error(`terraform validate found ${result.error_count} errors in ${dir}: ${(result.diagnostics ?? []).map((d) => `${d.summary}: ${d.detail}`).slice(0, 3).join(" | ")}`);
  };
  return {
    stacks: Object.keys(modules),
    validate: async () => {
      await init();
      await validate();
    },
  };
}
