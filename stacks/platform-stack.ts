import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DeployConfig, EnvironmentConfig } from "../config";
import { EnvironmentPlatform } from "../constructs/blue-green-environment";
import { protectStatefulResources } from "../constructs/destroy-protection";
import { FargateCluster } from "../constructs/fargate-cluster";
import { WorkflowRoleArns, workflowRoleArns } from "../constructs/github-oidc";
import { Network } from "../constructs/network";
import { applyPolicyPack } from "../constructs/policy";
import { SourceConnection } from "../constructs/source-connection";
import { configureBackend } from "./backend";
import { awsProviderProps, connectionProps, environmentId, environmentNetwork, networkProps } from "./config-props";

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
 * `Env<Name>/Cluster`, named `<project>-<environment>` as in single-service mode) and the
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
      return {
        config: environment,
        network: new Network(scope, "Network", { name, ...networkProps(environmentNetwork(config, environment), config.region) }),
        cluster: new FargateCluster(scope, "Cluster", { name }),
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
    return Object.fromEntries(this.environments.map((e) => [e.config.name, { network: e.network, cluster: e.cluster }]));
  }
}
