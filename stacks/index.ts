import { App, TerraformStack } from "cdktf";
import { DeployConfig } from "../config";
import { applyPolicyPack, describeSuppressions } from "../constructs/policy";
import { AwsDeliveryStack } from "./aws-stack";
import { BOOTSTRAP_STACK_ID, BootstrapStack, needsBootstrap } from "./bootstrap-stack";
import { GithubStack, githubStackId } from "./github-stack";

/** The stacks of one project, and what synth should tell the user about them. */
export interface ProjectStacks {
  /** The state bucket (S3 backend only). */
  readonly bootstrap?: BootstrapStack;
  readonly aws: AwsDeliveryStack;
  readonly github: GithubStack;
  /** Lines printed after a successful synth (stacks, policy suppressions). */
  report(): string[];
  /** Every stack, in deploy order. */
  all(): TerraformStack[];
  /** Ids of the stacks that use only the AWS provider (checked offline by Terraform here). */
  offlineStackIds(): string[];
}

/** Builds every stack of the project from a validated config. */
export function buildStacks(app: App, config: DeployConfig): ProjectStacks {
  const bootstrap = needsBootstrap(config) ? new BootstrapStack(app, BOOTSTRAP_STACK_ID, { config }) : undefined;
  if (bootstrap) applyPolicyPack(bootstrap, { bootstrap: true });
  const aws = new AwsDeliveryStack(app, config.project, { config });
  const github = new GithubStack(app, githubStackId(config), {
    config,
    oidc: aws.githubOidc,
    deployFiles:
      config.pipeline.imageSource === "ecr"
        ? aws.delivery.deployFiles.map((files, index) => ({ ...files, deployment: aws.environments[index].runtime.deployment }))
        : undefined,
    webhook: aws.webhookSecret && aws.webhookUrl ? { url: aws.webhookUrl, secret: aws.webhookSecret } : undefined,
  });
  const stacks: TerraformStack[] = [...(bootstrap ? [bootstrap] : []), aws, github];
  return {
    bootstrap,
    aws,
    github,
    all: () => stacks,
    offlineStackIds: () => [...(bootstrap ? [bootstrap.node.id] : []), aws.node.id],
    report: () => [
      `synthesized ${stacks.map((stack) => stack.node.id).join(", ")}`,
      ...stacks.flatMap((stack) => describeSuppressions(stack)),
    ],
  };
}
