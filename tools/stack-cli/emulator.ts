/**
 * `AWS_EMULATOR_URL=http://127.0.0.1:<port> npm run plan | deploy | destroy`: the stack commands point every AWS
 * client of each stack at a local AWS emulator (moto, as `npm run test:emulator` runs it) instead of AWS.
 *
 * Before `terraform init`, each stack's working directory gets a Terraform override file (`OVERRIDE_FILE`) that
 * gives every `aws` provider configuration the emulator as the endpoint of each service the stack uses, dummy keys
 * and few retries (the emulator's errors are final); gives the S3 backend and every `terraform_remote_state` the
 * emulator as their S3, STS and IAM endpoints with path-style addressing; and moves a local backend's state file
 * into the working directory, so an emulated bootstrap never touches `terraform.bootstrap.tfstate` at the project
 * root. Without the variable, a leftover override file is removed, so the next run talks to AWS as synthesized.
 * Only loopback URLs are accepted: nothing here sends state or credentials off the machine.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StackCommandError, SynthesizedStack } from "./manifest";

/** The environment variable that turns emulator mode on. */
export const EMULATOR_ENV = "AWS_EMULATOR_URL";
/** Terraform merges `*_override.tf.json` files over the configuration (Terraform docs, "Override Files"). */
export const OVERRIDE_FILE = "zz_aws_emulator_override.tf.json";
/** The emulator accepts any key; these only keep the provider from looking for real credentials. */
export const EMULATOR_CREDENTIALS = { access_key: "emulator", secret_key: "emulator" } as const;

/**
 * The provider's `endpoints` key (AWS provider 5.x and 6.x) for each resource and data source type prefix the
 * stacks use. A type that no prefix covers is refused: its calls would go to AWS.
 */
export const ENDPOINT_OF_TYPE_PREFIX: Readonly<Record<string, string>> = {
  aws_caller_identity: "sts",
  aws_iam_: "iam",
  aws_s3_: "s3",
  aws_kms_: "kms",
  aws_vpc: "ec2",
  aws_subnet: "ec2",
  aws_default_security_group: "ec2",
  aws_security_group: "ec2",
  aws_internet_gateway: "ec2",
  aws_nat_gateway: "ec2",
  aws_eip: "ec2",
  aws_flow_log: "ec2",
  aws_route: "ec2",
  aws_availability_zones: "ec2",
  aws_lb: "elbv2",
  aws_ecs_: "ecs",
  aws_ecr_: "ecr",
  aws_cloudwatch_log_: "logs",
  aws_cloudwatch_metric_alarm: "cloudwatch",
  aws_cloudwatch_event_: "events",
  aws_sns_: "sns",
  aws_lambda_: "lambda",
  aws_codebuild_: "codebuild",
  aws_codepipeline: "codepipeline",
  aws_codedeploy_: "deploy",
  aws_codestarconnections_: "codestarconnections",
  aws_codestarnotifications_: "codestarnotifications",
};

/** Types that make no AWS call (rendered by the provider itself). */
const LOCAL_TYPES = new Set(["aws_iam_policy_document", "aws_partition", "aws_region"]);

/** The emulator's URL from the environment, or undefined; a non-loopback URL is a one-line error. */
export function emulatorUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[EMULATOR_ENV];
  if (value === undefined || value === "") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new StackCommandError(`${EMULATOR_ENV} must be a URL such as http://127.0.0.1:4566 (got "${value}")`);
  }
  const loopback = /^127(\.\d{1,3}){3}$/.test(url.hostname) || url.hostname === "localhost" || url.hostname === "[::1]";
  if (!/^https?:$/.test(url.protocol) || !loopback || url.pathname !== "/" || url.search !== "") {
    throw new StackCommandError(
      `${EMULATOR_ENV} must be http(s)://<loopback address>:<port> (127.0.0.0/8, localhost or [::1]): the stack commands send emulated stacks nowhere else (got "${value}")`,
    );
  }
  return `${url.protocol}//${url.host}`;
}

type Json = Record<string, unknown>;
interface StackJson {
  terraform?: { backend?: Record<string, Json> };
  provider?: { aws?: Json[] };
  resource?: Record<string, unknown>;
  data?: Record<string, Record<string, Json>>;
}

/** The provider endpoint keys for the stack's AWS resource and data source types. */
export function endpointKeys(stack: StackJson, stackName: string): string[] {
  const types = [...Object.keys(stack.resource ?? {}), ...Object.keys(stack.data ?? {})].filter((t) => t.startsWith("aws_") && !LOCAL_TYPES.has(t));
  const keys = new Set(["sts"]);
  for (const type of types) {
    const prefix = Object.keys(ENDPOINT_OF_TYPE_PREFIX).find((p) => type.startsWith(p));
    if (!prefix) {
      throw new StackCommandError(
        `stack ${stackName}: ${EMULATOR_ENV} does not know the emulator endpoint of ${type}; add its prefix to ENDPOINT_OF_TYPE_PREFIX in tools/stack-cli/emulator.ts`,
      );
    }
    keys.add(ENDPOINT_OF_TYPE_PREFIX[prefix]);
  }
  return [...keys].sort();
}

/** S3, STS and IAM at the emulator, path-style, dummy keys: for the S3 backend and `terraform_remote_state`. */
function s3StateSettings(url: string): Json {
  return { endpoints: { s3: url, sts: url, iam: url }, use_path_style: true, skip_metadata_api_check: true, ...EMULATOR_CREDENTIALS };
}

/** The override file's content for one synthesized stack. */
export function emulatorOverride(stack: StackJson, stackName: string, url: string, workingDirectory: string): Json {
  const endpoints = Object.fromEntries(endpointKeys(stack, stackName).map((key) => [key, url]));
  const override: Json = {};
  const providers = stack.provider?.aws ?? [];
  if (providers.length > 0) {
    override.provider = {
      aws: providers.map((p) => ({
        ...(p.alias === undefined ? {} : { alias: p.alias }),
        ...EMULATOR_CREDENTIALS,
        endpoints: [endpoints],
        // The emulator answers 500 for what it lacks, which the provider retries 25 times by default (15 minutes and
        // more); 3 still rides out a dropped local connection.
        max_retries: 3,
        s3_use_path_style: true,
        skip_metadata_api_check: true,
        // Left false on purpose: the emulator's STS names the account the provider builds ARNs with.
        skip_requesting_account_id: false,
      })),
    };
  }
  const backend = stack.terraform?.backend ?? {};
  // An override's backend block replaces the original whole (Terraform docs, "Override Files"): restate it.
  if (backend.s3) override.terraform = { backend: { s3: { ...backend.s3, ...s3StateSettings(url) } } };
  if (backend.local) override.terraform = { backend: { local: { path: join(workingDirectory, "terraform.emulator.tfstate") } } };
  const remote = stack.data?.terraform_remote_state ?? {};
  if (Object.keys(remote).length > 0) {
    override.data = {
      terraform_remote_state: Object.fromEntries(
        Object.entries(remote).map(([name, block]) => [name, { config: { ...(block.config as Json), ...(block.backend === "s3" ? s3StateSettings(url) : {}) } }]),
      ),
    };
  }
  return override;
}

/** Writes (emulator mode) or removes (otherwise) the override file of one stack, before its `terraform init`. */
export function prepareEmulatorOverride(stack: SynthesizedStack, url: string | undefined): void {
  const file = join(stack.workingDirectory, OVERRIDE_FILE);
  if (url === undefined) {
    if (existsSync(file)) rmSync(file);
    return;
  }
  const json = JSON.parse(readFileSync(stack.synthesizedStackPath, "utf8")) as StackJson & { terraform?: { cloud?: unknown } };
  const backend = json.terraform?.cloud ? "cloud" : Object.keys(json.terraform?.backend ?? {}).find((b) => b !== "s3" && b !== "local");
  if (backend) throw new StackCommandError(`stack ${stack.name}: ${EMULATOR_ENV} works with the s3 and local backends only (got ${backend})`);
  writeFileSync(file, `${JSON.stringify(emulatorOverride(json, stack.name, url, stack.workingDirectory), null, 2)}\n`);
}
