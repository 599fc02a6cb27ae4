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

/** The ECS cluster of one environment; tasks run on Fargate, so it holds no instances. */
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
