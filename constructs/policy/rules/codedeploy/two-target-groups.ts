import { Rule } from "../../types";
import { violation } from "../../values";
import { ecsDeploymentGroups } from "../shared";
import { deploymentRoutes } from "./routes";

export const codeDeployTwoTargetGroups: Rule = {
  id: "BG-CD-004",
  area: "codedeploy",
  title: "Deployment groups name two different target groups",
  check: "Every ECS deployment group's target_group_pair_info has exactly two target groups, and they differ.",
  rationale: "Blue/green needs a second target group to start the new task set in; the same group twice cannot shift traffic.",
  source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-ecs.html",
  fix: "Give target_group_pair_info the blue and the green target group.",
  evaluate: (ctx) =>
    ecsDeploymentGroups(ctx).flatMap((group) => {
      const names = deploymentRoutes(ctx, group).targetGroupNames;
      return names.length === 2 && names[0] !== names[1]
        ? []
        : [violation(group, `target_group_pair_info has ${names.length} target groups${names.length === 2 ? " that are the same" : ""}`)];
    }),
};
