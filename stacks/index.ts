import { App, TerraformStack } from "cdktf";
import { DeployConfig } from "../config";
import { describeSuppressions } from "../constructs/policy";
import { AwsDeliveryStack } from "./aws-stack";

/** The stacks of one project, and what synth should tell the user about them. */
export interface ProjectStacks {
  readonly aws: AwsDeliveryStack;
  /** Lines printed after a successful synth (stacks, policy suppressions). */
  report(): string[];
  /** Every stack, in deploy order. */
  all(): TerraformStack[];
  /** Ids of the stacks that use only the AWS provider (checked offline by Terraform here). */
  offlineStackIds(): string[];
}

/** Builds every stack of the project from a validated config. */
export function buildStacks(app: App, config: DeployConfig): ProjectStacks {
  const aws = new AwsDeliveryStack(app, config.project, { config });
  return {
    aws,
    report: () => [`synthesized stack ${aws.node.id}`, ...describeSuppressions(aws)],
    offlineStackIds: () => [aws.node.id],
    all: () => [aws],
  };
}
