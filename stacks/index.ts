import { App, TerraformStack } from "cdktf";
import { DeployConfig, isFleet } from "../config";
import { applyPolicyPack, describeSuppressions } from "../constructs/policy";
import { AccessStack, accessStackId } from "./access-stack";
import { AwsDeliveryStack } from "./aws-stack";
import { BOOTSTRAP_STACK_ID, BootstrapStack, needsBootstrap } from "./bootstrap-stack";
import { buildFleet, githubDelivery, ServiceStacks } from "./fleet";
import { GithubStack, githubStackId } from "./github-stack";
import { PlatformStack } from "./platform-stack";

export type { ServiceStacks } from "./fleet";

/** The stacks of one project, and what synth should tell the user about them. */
export interface ProjectStacks {
  /** The state bucket (S3 backend only). */
  readonly bootstrap?: BootstrapStack;
  /** `<project>-access`: the OIDC provider, the plan and deploy roles and the permissions boundary (an administrator applies it). */
  readonly access: AccessStack;
  /** The delivery stack of single-service mode, or in fleet mode the first service's (every service's is in `services`). */
  readonly firstDelivery: AwsDeliveryStack;
  /** The GitHub stack: in fleet mode `<project>-github`, the infrastructure repository's (services may have their own). */
  readonly github: GithubStack;
  /** Fleet mode only: `<project>-platform`, the networks, clusters and connection the services share. */
  readonly platform?: PlatformStack;
  /** Fleet mode: every service's stacks, in config order; empty in single-service mode. */
  readonly services: readonly ServiceStacks[];
  /** Lines printed after a successful synth (stacks, policy suppressions). */
  report(): string[];
  /** Every stack, in deploy order. */
  all(): TerraformStack[];
  /**
   * Ids of the stacks that use only the AWS provider and read no other stack's state, so Terraform can
   * validate and plan them offline here.
   */
  offlineStackIds(): string[];
  /**
   * Ids of AWS-provider-only stacks that read another stack's outputs (`terraform_remote_state`, fleet
   * service stacks): an offline `terraform validate` checks them, a plan cannot (it would read the state).
   */
  remoteStateStackIds(): string[];
}

/** How the config was chosen, where a stack needs it. */
export interface BuildOptions {
  /**
   * The config's path inside the repository when `DEPLOY_CONFIG` chose it: the GitHub stack sets it as the
   * `DEPLOY_CONFIG` Actions variable, so CI synthesizes the same file.
   * @default - none (the config is deploy-config.yaml at the repository root, or the embedded demo: CI finds it unaided)
   */
  readonly deployConfigPath?: string;
}

/** Builds every stack of the project from a validated config. */
export function buildStacks(app: App, config: DeployConfig, options: BuildOptions = {}): ProjectStacks {
  const bootstrap = needsBootstrap(config) ? new BootstrapStack(app, BOOTSTRAP_STACK_ID, { config }) : undefined;
  if (bootstrap) applyPolicyPack(bootstrap, { bootstrap: true });
  const access = new AccessStack(app, accessStackId(config), { config });
  // Both need no other stack's state: Terraform plans them offline here.
  const adminIds = [...(bootstrap ? [bootstrap.node.id] : []), access.node.id];
  const admin: TerraformStack[] = [...(bootstrap ? [bootstrap] : []), access];
  if (isFleet(config)) {
    const fleet = buildFleet(app, config, options.deployConfigPath);
    const stacks: TerraformStack[] = [
      ...admin,
      fleet.platform,
      fleet.github,
      ...fleet.services.flatMap((service) => (service.github ? [service.aws, service.github] : [service.aws])),
    ];
    return {
      bootstrap,
      access,
      firstDelivery: fleet.services[0].aws,
      github: fleet.github,
      platform: fleet.platform,
      services: fleet.services,
      all: () => stacks,
      offlineStackIds: () => [...adminIds, fleet.platform.node.id],
      remoteStateStackIds: () => fleet.services.map((service) => service.aws.node.id),
      report: () => report(stacks),
    };
  }
  const aws = new AwsDeliveryStack(app, config.project, { config });
  const github = new GithubStack(app, githubStackId(config), {
    config,
    oidc: aws.workflowRoles,
    deployConfigPath: options.deployConfigPath,
    ...githubDelivery(aws, config),
  });
  const stacks: TerraformStack[] = [...admin, aws, github];
  return {
    bootstrap,
    access,
    firstDelivery: aws,
    github,
    services: [],
    all: () => stacks,
    offlineStackIds: () => [...adminIds, aws.node.id],
    remoteStateStackIds: () => [],
    report: () => report(stacks),
  };
}

function report(stacks: readonly TerraformStack[]): string[] {
  return [
    `synthesized ${stacks.map((stack) => stack.node.id).join(", ")}`,
    ...stacks.flatMap((stack) => describeSuppressions(stack)),
    ...stacks.flatMap((stack) => (stack instanceof GithubStack ? stack.warnings : [])),
  ];
}
