/**
 * AWS facts the config is validated against. Kept as data so a new region or size is a one-line change.
 */

/** Commercial-partition regions with ECS Fargate, CodeDeploy and CodePipeline V2. GovCloud and China use other ARN partitions and are not supported. */
export const REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "af-south-1",
  "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ca-central-1", "ca-west-1",
  "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
  "eu-south-1", "eu-south-2", "eu-north-1",
  "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
] as const;

/**
 * Zone letters for regions whose zones are not a, b, c in order (the default guess).
 * Zone names are mapped per account, so `network.availabilityZones` can always override.
 */
export const ZONE_LETTERS: Readonly<Record<string, string>> = {
  "ap-northeast-1": "acd",
  "us-west-1": "ab",
};

/** Valid Fargate memory (MiB) per CPU unit value: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

export const FARGATE_CPUS = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);

/** CodeDeploy's predefined ECS deployment configurations. */
export const ECS_DEPLOYMENT_PRESETS = [
  "CodeDeployDefault.ECSAllAtOnce",
  "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
  "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
  "CodeDeployDefault.ECSCanary10Percent5Minutes",
  "CodeDeployDefault.ECSCanary10Percent15Minutes",
] as const;

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

/** Describes a memory list compactly for error messages: `2048-8192 in steps of 1024`. */
export function describeMemory(values: readonly number[]): string {
  if (values.length <= 3) return values.join(", ");
  return `${values[0]}-${values[values.length - 1]} in steps of ${values[1] - values[0]}`;
}

/** A KMS key ARN (key id a UUID or a multi-Region `mrk-` id), commercial partition; no alias, no wildcard. */
export const STATE_KEY_ARN = /^arn:aws:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
/** An IAM role ARN with an optional path (IAM's name and path characters), commercial partition; no wildcard. */
export const IAM_ROLE_ARN = /^arn:aws:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/**
 * The longest AWS session a workflow of `.github/workflows/` asks for (`role-duration-seconds` of
 * configure-aws-credentials, which otherwise asks for 1 hour with OIDC): release.yml's job timeout, in minutes.
 * `github.roleSessionMinutes` (the roles' IAM MaxSessionDuration) may not be lower, or STS refuses the request;
 * __tests__/workflows.test.ts ties both numbers to the workflow files.
 */
export const LONGEST_WORKFLOW_SESSION_MINUTES = 150;
