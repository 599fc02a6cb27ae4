/**
 * Offline Terraform for tests and the benchmark: no AWS account, no internet.
 * The synthesized stacks pin the AWS provider that `@cdktf/provider-aws` was generated from (6.x);
 * the only provider on this machine is 5.100.0 in a filesystem mirror. For this offline run alone we
 * rewrite the version constraint, drop the backend, and give the provider mock credentials with every
 * account/credential lookup skipped. Nothing else in the synthesized JSON is touched.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EMBEDDED_DEMO_OPT_IN } from "../config/loader";

export const TERRAFORM_BIN = process.env.TERRAFORM_BIN ?? "/usr/local/bin/terraform";
export const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins";
export const OFFLINE_AWS_PROVIDER_VERSION = "5.100.0";

/**
 * Why offline Terraform cannot run here, or undefined when it can. Under `.ci/run` (CI_REQUIRE_TERRAFORM=1) a missing
 * prerequisite throws instead: CI fails rather than skipping the offline suite.
 */
export function offlineTerraformUnavailable(env: NodeJS.ProcessEnv = process.env, binary = TERRAFORM_BIN, pluginDir = PLUGIN_DIR): string | undefined {
  const mirror = join(pluginDir, "registry.terraform.io", "hashicorp", "aws", OFFLINE_AWS_PROVIDER_VERSION);
  const reason = !existsSync(binary)
    ? `terraform not found at ${binary} (TERRAFORM_BIN)`
    : !existsSync(mirror)
      ? `AWS provider ${OFFLINE_AWS_PROVIDER_VERSION} not mirrored in ${pluginDir} (TF_PLUGIN_DIR; .ci/mirror-aws-provider.sh makes one)`
      : undefined;
  if (reason && env.CI_REQUIRE_TERRAFORM === "1") throw new Error(`${reason} (.ci/run requires it)`);
  return reason;
}

export type TerraformJson = {
  terraform?: { backend?: unknown; required_providers?: Record<string, { version?: string }> };
  provider?: { aws?: Record<string, unknown>[] };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
};

/**
 * Arguments that exist only in the deployed provider (6.x), not in the mirrored 5.100.0. The offline copy
 * replaces them with their closest 5.x form; each entry says what is lost, so nobody mistakes it for coverage.
 */
const PROVIDER_6_ONLY: readonly { type: string; downgrade: (resource: Record<string, unknown>) => void; lost: string }[] = [
  {
    type: "aws_ecr_repository",
    lost: "tag-immutability exclusions (IMMUTABLE_WITH_EXCLUSION) are checked by jest only",
    downgrade: (resource) => {
      if (resource.image_tag_mutability === "IMMUTABLE_WITH_EXCLUSION") resource.image_tag_mutability = "IMMUTABLE";
      delete resource.image_tag_mutability_exclusion_filter;
    },
  },
  {
    type: "aws_ecs_service",
    lost:
      "ECS-native blue/green (deployment_configuration: strategy BLUE_GREEN, bake_time_in_minutes, lifecycle_hook; " +
      "load_balancer.advanced_configuration) is checked by jest only, against the provider 6 bindings",
    downgrade: (resource) => {
      delete resource.deployment_configuration;
      const loadBalancers = Array.isArray(resource.load_balancer) ? resource.load_balancer : [resource.load_balancer];
      for (const lb of loadBalancers) if (lb && typeof lb === "object") delete (lb as Record<string, unknown>).advanced_configuration;
    },
  },
];

/** What the offline run cannot check, per resource type (printed by the offline test). */
export const OFFLINE_DOWNGRADES: readonly { type: string; lost: string }[] = PROVIDER_6_ONLY.map(({ type, lost }) => ({ type, lost }));

/**
 * A synthesized stack for the mirrored provider: the version constraint rewritten and the 6.x-only arguments
 * downgraded (PROVIDER_6_ONLY); backend, provider settings and everything else as synthesized. The emulator run
 * (tools/emulator) applies this variant.
 */
export function toMirroredProviderJson<T extends TerraformJson>(stack: T): T {
  const copy = JSON.parse(JSON.stringify(stack)) as T;
  const aws = copy.terraform?.required_providers?.aws;
  if (aws) aws.version = OFFLINE_AWS_PROVIDER_VERSION;
  for (const { type, downgrade } of PROVIDER_6_ONLY) {
    Object.values(copy.resource?.[type] ?? {}).forEach(downgrade);
  }
  return copy;
}

/** The offline variant of a synthesized stack: same resources, mirrored provider, mock credentials, no backend. */
export function toOfflineJson(stack: TerraformJson): TerraformJson {
  const copy = toMirroredProviderJson(stack);
  if (copy.terraform) delete copy.terraform.backend;
  copy.provider?.aws?.forEach((provider) =>
    Object.assign(provider, {
      access_key: "mock-access-key",
      secret_key: "mock-secret-key",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    }),
  );
  return copy;
}

export interface OfflineRoot {
  readonly dir: string;
  /** Module name per synthesized stack directory. */
  readonly modules: readonly string[];
}

/**
 * Lays out one Terraform root whose modules are the given synthesized stack directories, so a single
 * init/validate/plan (one provider start-up) checks every example config. Assets (Lambda zips) are
 * referenced relative to the working directory, so they are merged into the root.
 */
export function prepareOfflineRoot(stackDirs: Readonly<Record<string, string>>): OfflineRoot {
  const dir = mkdtempSync(join(tmpdir(), "offline-tf-"));
  const modules: Record<string, { source: string; [variable: string]: unknown }> = {};
  for (const [name, stackDir] of Object.entries(stackDirs)) {
    const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as TerraformJson;
    cpSync(stackDir, join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "cdk.tf.json"), JSON.stringify(toOfflineJson(stack)));
    if (existsSync(join(stackDir, "assets"))) cpSync(join(stackDir, "assets"), join(dir, "assets"), { recursive: true });
    // The embedded demo's stacks refuse to plan without their opt-in (stacks/embedded-demo-guard.ts); an offline
    // plan with mock credentials deploys nothing, so it opts in.
    const optIn = (stack as { variable?: Record<string, unknown> }).variable?.[EMBEDDED_DEMO_OPT_IN] ? { [EMBEDDED_DEMO_OPT_IN]: true } : {};
    modules[name] = { source: `./${name}`, ...optIn };
  }
  const root = {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: OFFLINE_AWS_PROVIDER_VERSION } } },
    module: modules,
  };
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(root, null, 2));
  return { dir, modules: Object.keys(modules) };
}

/** Runs terraform in `dir`; throws with Terraform's own output on failure. */
export function terraform(dir: string, args: readonly string[]): string {
  try {
    return execFileSync(TERRAFORM_BIN, [...args], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", AWS_EC2_METADATA_DISABLED: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new Error(`terraform ${args.join(" ")} failed in ${dir}:\n${summarize(failure.stdout ?? "")}\n${failure.stderr ?? ""}`);
  }
}

/** `validate -json` output is mostly the offending file; keep the diagnostics. */
function summarize(stdout: string): string {
  try {
    const parsed = JSON.parse(stdout) as { diagnostics?: { summary: string; detail: string; range?: { filename: string }; snippet?: { context: string } }[] };
    return (parsed.diagnostics ?? [])
      .map((d) => `${d.range?.filename ?? ""} ${d.snippet?.context ?? ""}: ${d.summary}: ${d.detail}`)
      .join("\n");
  } catch {
    return stdout.slice(0, 20000);
  }
}

/** init (from the mirror) and validate only: for stacks whose plan would read another stack's remote state. */
export function validateOffline(root: OfflineRoot): { valid: boolean } {
  terraform(root.dir, ["init", "-backend=false", `-plugin-dir=${PLUGIN_DIR}`, "-input=false", "-no-color"]);
  return JSON.parse(terraform(root.dir, ["validate", "-json", "-no-color"])) as { valid: boolean };
}

/** init (from the mirror), validate and plan; returns the plan as `terraform show -json` gives it. */
export function validateAndPlan(root: OfflineRoot): { validate: { valid: boolean }; plan: PlanJson } {
  terraform(root.dir, ["init", "-backend=false", `-plugin-dir=${PLUGIN_DIR}`, "-input=false", "-no-color"]);
  const validate = JSON.parse(terraform(root.dir, ["validate", "-json", "-no-color"])) as { valid: boolean };
  terraform(root.dir, ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-out=offline.tfplan"]);
  const plan = JSON.parse(terraform(root.dir, ["show", "-json", "offline.tfplan"])) as PlanJson;
  return { validate, plan };
}

export interface PlanJson {
  resource_changes?: { address: string; module_address?: string; type: string; change: { actions: string[] } }[];
}
