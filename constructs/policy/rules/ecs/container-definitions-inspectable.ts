import { Rule } from "../../types";
import { violation } from "../../values";
import { containerDefinitions } from "./containers";

export const ecsContainerDefinitionsInspectable: Rule = {
  id: "BG-ECS-010",
  area: "ecs",
  title: "Container definitions can be checked at synth",
  check: "Every aws_ecs_task_definition has container_definitions as literal JSON (a JSON.stringify of the definitions), not an expression.",
  rationale: "The container rules (logging, privileged, read-only root) can only vouch for definitions they can read; the build also renders taskdef.json from them.",
  source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
  fix: "Build container_definitions with JSON.stringify in the construct instead of Fn.jsonencode or a file template.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_ecs_task_definition")
      .filter((t) => containerDefinitions(t) === undefined)
      .map((t) => violation(t, "container_definitions is not literal JSON")),
};
