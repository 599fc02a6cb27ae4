import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DeployConfig, EnvironmentConfig, sharesLoadBalancer } from "../config";
import { EnvironmentPlatform } from "../constructs/environment/blue-green-environment";
import { protectStatefulResources } from "../constructs/core/destroy-protection";
import { SharedLoadBalancer } from "../constructs/runtime/shared-load-balancer";
import { FargateCluster } from "../constructs/runtime/fargate-cluster";
import { WorkflowRoleArns, workflowRoleArns } from "../constructs/identity/github-oidc";
import { Network } from "../constructs/runtime/network";
import { applyPolicyPack } from "../constructs/policy";
import { SourceConnection } from "../constructs/delivery/sources/source-connection";
import { configureBackend } from "./backend";
import { awsProviderProps, connectionProps, environmentId, environmentNetwork, networkProps, sharedLoadBalancerProps } from "./config-props";

/** The platform stack's id: `<project>-platform`. */
export function platformStackId(config: DeployConfig): string {
  return `${config.project}-platform`;
}

export interface PlatformStackProps {
  /** The validated fleet config (`services` set). */
  readonly config: DeployConfig;
}

/**
 * Fleet mode's `<project>-platform` stack: what every service of an environment shares, and what an
 * account holds once. Per environment a network and an ECS cluster (`Env<Name>/Network`,
 * `Env<Name>/Cluster`, named `<project>-<environment>` as in single-service mode), with `strategy: ecs`
 * the ALB its services share (`Env<Name>/LoadBalancer`, their listener rules are theirs), and the
 * GitHub connection (one handshake for the whole fleet). Service stacks read these through cdktf
 * cross-stack references, i.e. outputs here and a `terraform_remote_state` there: deploy this stack first.
 */
export class PlatformStack extends TerraformStack {
  public readonly environments: readonly (EnvironmentPlatform & { readonly config: EnvironmentConfig })[];
  /** The access stack's plan and deploy role ARNs, by name (for the infrastructure GitHub stack's Actions variables). */
  public readonly workflowRoles: WorkflowRoleArns;
  /** `github.sourceMode: connection` only: the connection every service's pipeline uses. */
  public readonly connection?: SourceConnection;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const { config } = props;
    configureBackend(this, config, id);
    new AwsProvider(this, "aws", awsProviderProps(config));
    this.environments = config.environments.map((environment) => {
      const scope = new Construct(this, environmentId(environment.name));
      const name = `${config.project}-${environment.name}`;
      const network = new Network(scope, "Network", { name, ...networkProps(environmentNetwork(config, environment), config.region) });
      return {
        config: environment,
        network,
        cluster: new FargateCluster(scope, "Cluster", { name }),
        loadBalancer: sharesLoadBalancer(environment, true) ? new SharedLoadBalancer(scope, "LoadBalancer", sharedLoadBalancerProps(environment, name, network)) : undefined,
      };
    });
    // The account from a cluster's ARN: no caller-identity lookup, and no reference to the access stack.
    this.workflowRoles = workflowRoleArns(config.project, Fn.element(Fn.split(":", this.environments[0].cluster.cluster.arn), 4));
    if (config.github.sourceMode === "connection") {
      this.connection = new SourceConnection(this, "Connection", connectionProps(config, config.project));
    }
    // The connection is the stateful resource here (a new one needs the handshake again); networks and clusters hold no data.
    if (!config.allowDestroy) protectStatefulResources(this);
    applyPolicyPack(this);
  }

  /** Per environment name, the shared network and cluster (what `AwsDeliveryStack`'s `platform` prop takes). */
  public byEnvironment(): Record<string, EnvironmentPlatform> {
    return Object.fromEntries(this.environments.map((e) => [e.config.name, { network: e.network, cluster: e.cluster, loadBalancer: e.loadBalancer }]));
  }
}
