import { Construct } from "constructs";
import { DeployConfig } from "../config";
import { WorkflowRoleArns } from "../constructs/identity/github-oidc";
import { GithubStack } from "./github-stack";

/**
 * One of fleet mode's named stacks (docs/design.md, "Stacks"): each is one role of a fleet, so callers say which
 * one they build instead of combining the single-service stacks' options.
 */

export interface InfrastructureGithubStackProps {
  /** The fleet config (its `github` block names the infrastructure repository). */
  readonly config: DeployConfig;
  /** The access stack's plan and deploy role ARNs, published as the infrastructure repository's Actions variables. */
  readonly oidc: WorkflowRoleArns;
  /** @default - see GithubStackProps.deployConfigPath */
  readonly deployConfigPath?: string;
}

/** `<project>-github` of a fleet: the infrastructure repository's branch protection and Actions variables. */
export class InfrastructureGithubStack extends GithubStack {
  constructor(scope: Construct, id: string, props: InfrastructureGithubStackProps) {
    super(scope, id, {
      config: props.config,
      oidc: props.oidc,
      deployConfigPath: props.deployConfigPath,
      parts: { applicationProtection: false, applicationDelivery: false, infrastructure: true },
    });
  }
}
