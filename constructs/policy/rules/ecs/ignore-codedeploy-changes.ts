import { Rule } from "../../types";
import { ignoresChanges, violation } from "../../values";
import { usesCodeDeploy } from "./services";

const OWNED_BY_CODEDEPLOY = ["task_definition", "load_balancer"];

export const ecsIgnoreCodeDeployChanges: Rule = {
  id: "BG-ECS-002",
  area: "ecs",
  title: "CODE_DEPLOY services ignore what CodeDeploy changes",
  check: "Every CODE_DEPLOY service has lifecycle.ignore_changes including task_definition and load_balancer.",
  rationale: "ECS refuses Terraform updates to these on CODE_DEPLOY services (terraform-provider-aws #12703); the pipeline owns them.",
  source: "https://github.com/hashicorp/terraform-provider-aws/issues/12703",
  fix: "Add lifecycle { ignore_changes = [task_definition, load_balancer] } to the service.",
  evaluate: (ctx) =>
    ctx.resources("aws_ecs_service").flatMap((service) => {
      if (!usesCodeDeploy(service)) return [];
      const missing = OWNED_BY_CODEDEPLOY.filter((a) => !ignoresChanges(service.body, a));
      return missing.length > 0 ? [violation(service, `ignore_changes does not cover ${missing.join(", ")}`)] : [];
    }),
};
