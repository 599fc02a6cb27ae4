import { Rule } from "../../types";
import { violation } from "../../values";

export const ecsSeparateTaskRoles: Rule = {
  id: "BG-ECS-009",
  area: "ecs",
  title: "Task role and execution role are different roles",
  check: "No aws_ecs_task_definition uses the same role as task_role_arn and execution_role_arn.",
  rationale: "The execution role pulls images and reads secrets for ECS; the application must not inherit those permissions.",
  source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
  fix: "Give the task its own role (BlueGreenService creates separate taskRole and executionRole).",
  evaluate: (ctx) =>
    ctx
      .resources("aws_ecs_task_definition")
      .filter((t) => t.body.task_role_arn !== undefined && t.body.task_role_arn === t.body.execution_role_arn)
      .map((t) => violation(t, "task_role_arn and execution_role_arn are the same role")),
};
