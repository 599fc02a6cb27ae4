import { Rule } from "../../types";
import { isTrue, violation } from "../../values";
import { containers } from "./containers";

export const ecsNoPrivilegedContainers: Rule = {
  id: "BG-ECS-005",
  area: "ecs",
  title: "No privileged containers",
  check: "No container definition sets privileged = true.",
  rationale: "A privileged container has root on the host; Fargate rejects it and on EC2 it breaks task isolation.",
  source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security",
  fix: "Remove privileged from the container definition.",
  evaluate: (ctx) =>
    containers(ctx.resources("aws_ecs_task_definition"))
      .filter(({ container }) => isTrue(container.privileged))
      .map(({ taskDefinition, name }) => violation(taskDefinition, `container "${name}" is privileged`)),
};
