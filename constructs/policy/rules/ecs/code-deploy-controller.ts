import { Rule } from "../../types";
import { violation } from "../../values";
import { codeDeployTargets, usesCodeDeploy } from "./services";

export const ecsCodeDeployController: Rule = {
  id: "BG-ECS-001",
  area: "ecs",
  title: "Blue/green services use the CODE_DEPLOY controller, and only they do",
  check: "A service a CodeDeploy deployment group targets has deployment_controller.type = CODE_DEPLOY; a CODE_DEPLOY service has a deployment group.",
  rationale: "CodeDeploy can only shift traffic for services it controls, and a CODE_DEPLOY service nobody deploys can never change.",
  source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html",
  fix: "Set deployment_controller { type = \"CODE_DEPLOY\" } on the service and create its deployment group (CodeDeployDeploymentGroup does both).",
  evaluate: (ctx) => {
    const targets = codeDeployTargets(ctx);
    return ctx.resources("aws_ecs_service").flatMap((service) => {
      if (targets.has(service) && !usesCodeDeploy(service)) return [violation(service, "a deployment group targets it but the controller is not CODE_DEPLOY")];
      if (!targets.has(service) && usesCodeDeploy(service)) return [violation(service, "CODE_DEPLOY controller but no deployment group targets the service")];
      return [];
    });
  },
};
