import { Rule } from "../../types";
import { isTrue, violation } from "../../values";
import { containers } from "./containers";

export const ecsReadonlyRootFilesystem: Rule = {
  id: "BG-ECS-007",
  area: "ecs",
  title: "Containers run with a read-only root filesystem",
  check: "Every container definition sets readonlyRootFilesystem = true (suppress per service where the image needs a writable root).",
  rationale: "An attacker who gets code execution cannot modify the image's binaries or drop tools onto the filesystem.",
  source: "https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
  fix: "Set readonlyRootFilesystem: true and mount a task volume where the application writes (e.g. /tmp).",
  evaluate: (ctx) =>
    containers(ctx.resources("aws_ecs_task_definition"))
      .filter(({ container }) => !isTrue(container.readonlyRootFilesystem))
      .map(({ taskDefinition, name }) => violation(taskDefinition, `container "${name}" has a writable root filesystem`)),
};
