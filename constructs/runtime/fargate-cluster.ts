import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { Construct } from "constructs";

export interface FargateClusterProps {
  /** Cluster name, e.g. `demo-prod`. */
  readonly name: string;
  /**
   * CloudWatch Container Insights: `"enabled"` collects cluster/service/task metrics;
   * `"enhanced"` adds container-level metrics and curated dashboards at a higher CloudWatch cost.
   * @default "enabled"
   */
  readonly containerInsights?: "enabled" | "enhanced";
}

/**
 * The ECS cluster of one environment; tasks run on Fargate, so it holds no instances.
 *
 * In a fresh account, CreateCluster is what creates ECS's service-linked role (AWSServiceRoleForECS), with the
 * caller's iam:CreateServiceLinkedRole permission. Until the new role propagates, CreateCluster and CreateService
 * fail with "Unable to assume the service linked role"; the AWS provider retries both on exactly that message
 * (terraform-provider-aws #11417, #15452), and the service is created only after its load balancer's listeners,
 * minutes later. The role is not a Terraform resource here on purpose: aws_iam_service_linked_role fails in every
 * account that already has it ("has been taken in this account"). README, "First deploy", says what to do when
 * the deploying identity may not create service-linked roles.
 */
export class FargateCluster extends Construct {
  public readonly cluster: EcsCluster;
  public readonly arn: string;
  public readonly clusterName: string;

  constructor(scope: Construct, id: string, props: FargateClusterProps) {
    super(scope, id);
    const containerInsights = props.containerInsights ?? "enabled";
    this.cluster = new EcsCluster(this, "Cluster", {
      name: props.name,
      setting: [{ name: "containerInsights", value: containerInsights }],
    });
    this.arn = this.cluster.arn;
    this.clusterName = this.cluster.name;
  }
}
