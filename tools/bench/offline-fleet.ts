/**
 * Benchmark only: an offline copy of a synthesized fleet that Terraform can plan here, with no AWS account.
 *
 * Each AWS-provider stack goes through the tests' `toOfflineJson` (mirrored provider 5.100.0, mock credentials,
 * no backend). The service stacks also read the platform's outputs through `terraform_remote_state` from the
 * S3 bucket, which does not exist here. In a pull request that read returns the deployed platform's outputs; the
 * offline copy stands in for it with a local state file holding the same outputs, one per output the platform
 * declares, with values in the shape AWS gives them (`subnet-…`, `arn:aws:ecs:<region>:<account>:cluster/<name>`,
 * names taken from the platform's own configuration), and points each remote-state data source at that file
 * (`backend = "local"`). Everything else of the stacks is planned as synthesized.
 * GitHub-provider stacks are left out (their provider is not in the mirror), and so are the stacks CI never
 * plans (bootstrap, `<project>-access`).
 */
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toOfflineJson } from "../offline-terraform";
import { neverPlanned } from "../review/decide";
import { remoteStateLocation, stateLocation, SynthStack, TerraformJson } from "../review/synth-output";

/** The account id in the synthetic ARNs (AWS's documentation example account). */
const ACCOUNT = "123456789012";

export interface OfflineStack {
  readonly name: string;
  readonly dir: string;
  readonly json: TerraformJson;
}

/** Copies every AWS-provider stack of `stacks` into `root`, offline; returns them by name. */
export function offlineFleet(stacks: ReadonlyMap<string, SynthStack>, root: string): Map<string, OfflineStack> {
  const states = join(root, "remote-state");
  mkdirSync(states, { recursive: true });
  const byLocation = new Map<string, string>();
  for (const stack of stacks.values()) {
    const location = stateLocation(stack.json);
    if (location && stack.json.output) {
      const file = join(states, `${stack.name}.tfstate`);
      writeFileSync(file, JSON.stringify(outputsState(stack.json)));
      byLocation.set(location, file);
    }
  }
  const offline = new Map<string, OfflineStack>();
  const never = new Set(neverPlanned(stacks));
  for (const stack of stacks.values()) {
    const providers = (stack.json.provider ?? {}) as Record<string, unknown>;
    if (never.has(stack.name) || !providers.aws || providers.github) continue;
    const dir = join(root, "stacks", stack.name);
    cpSync(stack.dir, dir, { recursive: true, filter: (path) => !path.includes(`${join(stack.dir, ".terraform")}`) });
    const json = toOfflineJson(stack.json as Parameters<typeof toOfflineJson>[0]) as TerraformJson & { data?: Record<string, Record<string, Record<string, unknown>>> };
    for (const source of Object.values(json.data?.terraform_remote_state ?? {})) {
      const file = byLocation.get(remoteStateLocation(source) ?? "");
      if (!file) throw new Error(`${stack.name}: no stack of this fleet owns the state ${remoteStateLocation(source)}`);
      source.backend = "local";
      source.config = { path: file };
      delete source.workspace;
    }
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json));
    offline.set(stack.name, { name: stack.name, dir, json });
  }
  return offline;
}

/** A Terraform state (format 4) holding only a stack's outputs, with synthetic values where AWS picks them. */
export function outputsState(json: TerraformJson): object {
  const region = String(((json.provider as { aws?: { region?: string }[] } | undefined)?.aws ?? [])[0]?.region ?? "us-east-1");
  const resources = (json.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  const outputs: Record<string, { value: string; type: string }> = {};
  for (const [name, output] of Object.entries(json.output ?? {})) {
    const expression = String((output as { value: unknown }).value);
    const match = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(expression);
    const value = match ? attributeValue(match[1], match[2], match[3], resources[match[1]]?.[match[2]] ?? {}, region) : expression;
    outputs[name] = { value, type: "string" };
  }
  return { version: 4, terraform_version: "1.11.4", serial: 1, lineage: "bench-plan-offline", outputs, resources: [], check_results: null };
}

/** What AWS returns for `type.name.attribute`: the configured value when there is one, else one of AWS's shape. */
function attributeValue(type: string, name: string, attribute: string, config: Record<string, unknown>, region: string): string {
  if (typeof config[attribute] === "string") return config[attribute] as string;
  const hex = createHash("sha256").update(`${type}.${name}`).digest("hex").slice(0, 17);
  const resourceName = typeof config.name === "string" ? config.name : name;
  if (attribute === "arn") {
    if (type === "aws_iam_role") return `arn:aws:iam::${ACCOUNT}:role/${resourceName}`;
    if (type === "aws_ecs_cluster") return `arn:aws:ecs:${region}:${ACCOUNT}:cluster/${resourceName}`;
    if (type === "aws_codestarconnections_connection") return `arn:aws:codestar-connections:${region}:${ACCOUNT}:connection/${hex.slice(0, 8)}-0000-4000-8000-${hex.slice(0, 12)}`;
    return `arn:aws:${type.split("_")[1]}:${region}:${ACCOUNT}:${type.slice(4)}/${resourceName}`;
  }
  if (attribute === "id") return `${type === "aws_vpc" ? "vpc" : type === "aws_subnet" ? "subnet" : type.slice(4)}-${hex}`;
  if (attribute === "public_ip") return `203.0.113.${parseInt(hex.slice(0, 2), 16) % 250}`;
  return `${resourceName}-${attribute}`;
}
