import { Rule } from "../../types";
import { violation } from "../../values";
import { ecsDeploymentGroups, nested } from "../shared";

export const codeDeployBlueGreenStyle: Rule = {
  id: "BG-CD-003",
  area: "codedeploy",
  title: "ECS deployments are blue/green with traffic control",
  check: "Every ECS deployment group has deployment_style BLUE_GREEN and WITH_TRAFFIC_CONTROL.",
  rationale: "ECS deployment groups only work blue/green through the load balancer; anything else fails at the first deployment.",
  source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-ecs.html",
  fix: "Set deployment_style { deployment_type = \"BLUE_GREEN\", deployment_option = \"WITH_TRAFFIC_CONTROL\" }.",
  evaluate: (ctx) =>
    ecsDeploymentGroups(ctx)
      .filter(
        (g) =>
          nested(g.body, "deployment_style.deployment_type") !== "BLUE_GREEN" ||
          nested(g.body, "deployment_style.deployment_option") !== "WITH_TRAFFIC_CONTROL",
      )
      .map((g) => violation(g, "deployment_style is not BLUE_GREEN with WITH_TRAFFIC_CONTROL")),
};
