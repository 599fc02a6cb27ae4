import { Rule } from "../../types";
import { block, violation } from "../../values";
import { containers } from "./containers";

export const ecsAwslogsLogging: Rule = {
  id: "BG-ECS-004",
  area: "ecs",
  title: "Every container logs to CloudWatch",
  check: "Every container definition has logConfiguration.logDriver = awslogs with an awslogs-group option.",
  rationale: "Without logs a failed deployment cannot be diagnosed; the log group also carries the retention setting.",
  source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html",
  fix: "Give the container logConfiguration { logDriver: \"awslogs\", options: { awslogs-group, awslogs-region, awslogs-stream-prefix } }.",
  evaluate: (ctx) =>
    containers(ctx.resources("aws_ecs_task_definition")).flatMap(({ taskDefinition, container, name }) => {
      const config = block(container.logConfiguration);
      const group = block(config?.options)?.["awslogs-group"];
      return config?.logDriver === "awslogs" && typeof group === "string" && group.length > 0
        ? []
        : [violation(taskDefinition, `container "${name}" does not log with awslogs to a log group`)];
    }),
};
