import { Rule } from "../../types";
import { blocks, violation } from "../../values";

export const ecsContainerInsights: Rule = {
  id: "BG-ECS-008",
  area: "ecs",
  title: "ECS clusters have Container Insights",
  check: "Every aws_ecs_cluster has a setting containerInsights = enabled or enhanced.",
  rationale: "Task-level CPU, memory and restart metrics are what operators look at when a deployment's alarms fire.",
  source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html",
  fix: "Add setting { name = \"containerInsights\", value = \"enabled\" } to the cluster.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_ecs_cluster")
      .filter((c) => !blocks(c.body.setting).some((s) => s.name === "containerInsights" && ["enabled", "enhanced"].includes(String(s.value))))
      .map((c) => violation(c, "Container Insights is not enabled")),
};
