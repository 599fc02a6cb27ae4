import { Construct } from "constructs";
import { DeployConfig } from "../config";
import { GithubStack, GithubStackProps } from "./github-stack";

/**
 * One of fleet mode's named stacks (docs/design.md, "Stacks"): each is one role of a fleet, so callers say which
 * one they build instead of combining the single-service stacks' options.
 */

export interface ApplicationGithubStackProps extends Pick<GithubStackProps, "deployFiles" | "webhook"> {
  /** The service's view of the fleet config. */
  readonly config: DeployConfig;
  /** Protect the service's branch here (false when another stack of the fleet already protects that branch). */
  readonly protectBranch: boolean;
}

/**
 * `<project>-<service>-github`: what one service's pipeline needs in its application repository (deploy files
 * in ecr mode, the webhook in webhook mode) and, when no other stack does it, the branch protection.
 */
export class ApplicationGithubStack extends GithubStack {
  constructor(scope: Construct, id: string, props: ApplicationGithubStackProps) {
    super(scope, id, {
      config: props.config,
      deployFiles: props.deployFiles,
      webhook: props.webhook,
      parts: { applicationProtection: props.protectBranch, applicationDelivery: true, infrastructure: false },
    });
  }
}
