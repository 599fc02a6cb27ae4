import { PolicyContext, TfBlock } from "../../types";
import { ecsDeploymentGroups, nested } from "../shared";

export function usesCodeDeploy(service: TfBlock): boolean {
  return nested(service.body, "deployment_controller.type") === "CODE_DEPLOY";
}

/** Services some CodeDeploy deployment group deploys (its ecs_service.service_name references them). */
export function codeDeployTargets(ctx: PolicyContext): Set<TfBlock> {
  return new Set(
    ecsDeploymentGroups(ctx).flatMap((g) => ctx.refs(nested(g.body, "ecs_service.service_name")).filter((b) => b.type === "aws_ecs_service")),
  );
}
