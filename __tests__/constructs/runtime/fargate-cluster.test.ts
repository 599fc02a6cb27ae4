import { FargateCluster } from "../../../constructs/runtime/fargate-cluster";
import { awsTestStack, resourceById, synthJson } from "../../helpers/runtime";

function build(containerInsights?: "enabled" | "enhanced") {
  const stack = awsTestStack();
  const cluster = new FargateCluster(stack, "Cluster", { name: "demo-prod", containerInsights });
  return { cluster, ecs: resourceById(synthJson(stack), "aws_ecs_cluster", "Cluster") };
}

describe("FargateCluster", () => {
  test("creates a cluster with the given name", () => {
    expect(build().ecs.name).toBe("demo-prod");
  });

  test("enables Container Insights by default", () => {
    expect(build().ecs.setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
  });

  test("uses enhanced Container Insights when asked", () => {
    expect(build("enhanced").ecs.setting).toEqual([{ name: "containerInsights", value: "enhanced" }]);
  });

  test("exposes the cluster, its ARN and its name", () => {
    const { cluster } = build();
    expect(cluster.cluster).toBeDefined();
    expect(cluster.arn).toContain("TfToken");
    expect(cluster.clusterName).toContain("TfToken");
  });
});
