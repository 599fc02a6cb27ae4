import { Rule } from "../../types";
import { blocks, violation } from "../../values";
import { usesCodeDeploy } from "./services";

export const ecsSingleTargetGroup: Rule = {
  id: "BG-ECS-003",
  area: "ecs",
  title: "CODE_DEPLOY services attach only the blue target group",
  check: "Every CODE_DEPLOY service has exactly one load_balancer block.",
  rationale: "CodeDeploy attaches the green target group itself; a service with both attached makes deployments hang.",
  source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html",
  fix: "Attach only the blue target group to the service; the deployment group names both.",
  evaluate: (ctx) =>
    ctx.resources("aws_ecs_service").flatMap((service) => {
      const count = blocks(service.body.load_balancer).length;
      return usesCodeDeploy(service) && count !== 1 ? [violation(service, `has ${count} load_balancer blocks`)] : [];
    }),
};
