import { Rule } from "../../types";
import { violation } from "../../values";
import { ecsDeploymentGroups } from "../shared";
import { deploymentRoutes } from "./routes";

export const codeDeployProdAndTestRoutes: Rule = {
  id: "BG-CD-005",
  area: "codedeploy",
  title: "Deployment groups have a production and a separate test route",
  check: "Every ECS deployment group has prod_traffic_route and test_traffic_route listeners, and no listener is on both.",
  rationale: "The test route lets the new task set be tested (smoke-test hook) before production traffic moves.",
  source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-ecs.html",
  fix: "Set prod_traffic_route to the production listener and test_traffic_route to the test listener.",
  evaluate: (ctx) =>
    ecsDeploymentGroups(ctx).flatMap((group) => {
      const { prodListeners, testListeners } = deploymentRoutes(ctx, group);
      if (prodListeners.length === 0) return [violation(group, "no production traffic route listener")];
      if (testListeners.length === 0) return [violation(group, "no test traffic route listener")];
      return prodListeners.some((l) => testListeners.includes(l)) ? [violation(group, "a listener is on both routes")] : [];
    }),
};
