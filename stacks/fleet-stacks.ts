import { Construct } from "constructs";
import { DeployConfig } from "../config";
import { ListenerRuleRoute } from "../constructs/environment/strategies/ecs-native-traffic-routing";
import { WorkflowRoleArns } from "../constructs/identity/github-oidc";
import { AwsDeliveryStack } from "./aws-stack";
import { GithubStack, GithubStackProps } from "./github-stack";
import { PlatformStack } from "./platform-stack";

/**
 * Fleet mode's named stacks (docs/design.md, "Stacks"): each is one role of a fleet, so callers say which one
 * they build instead of combining the single-service stacks' flags. The platform's is `PlatformStack`.
 */

export interface ServiceStackProps {
  /** The service's view of the fleet config (`serviceConfig(config, entry)`). */
  readonly config: DeployConfig;
  /** The platform whose per-environment network and cluster, and whose connection, the service uses. */
  readonly platform: PlatformStack;
  /** Its listener rules on the platform's shared ALBs (`strategy: ecs` environments): `listenerRoute(entry)`. */
  readonly route: ListenerRuleRoute;
}

/**
 * `<project>-<service>`: one service's repository, per-environment runtime and pipeline on the platform's
 * network and cluster (and, with `strategy: ecs`, its shared ALB) and its connection. Its id is also its resource prefix.
 */
export class ServiceStack extends AwsDeliveryStack {
  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, {
      config: props.config,
      name: id,
      platform: props.platform.byEnvironment(),
      connection: props.platform.connection,
      route: props.route,
    });
  }
}

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
