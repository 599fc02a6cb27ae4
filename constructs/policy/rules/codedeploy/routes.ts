/** What CodeDeploy ECS deployment groups point at: listeners of the prod/test routes and the target group pair. */
import { PolicyContext, TfBlock } from "../../types";
import { blocks } from "../../values";
import { nested } from "../shared";

export interface DeploymentRoutes {
  readonly prodListeners: TfBlock[];
  readonly testListeners: TfBlock[];
  readonly targetGroups: TfBlock[];
  /** Raw `target_group` entries (names may be literals). */
  readonly targetGroupNames: unknown[];
}

export function deploymentRoutes(ctx: PolicyContext, group: TfBlock): DeploymentRoutes {
  const pair = nested(group.body, "load_balancer_info.target_group_pair_info");
  const pairBody = blocks(pair)[0] ?? {};
  const listenersOf = (route: string) => ctx.refs(nested(pairBody, `${route}.listener_arns`)).filter((b) => b.type.endsWith("_listener"));
  const names = blocks(pairBody.target_group).map((t) => t.name);
  return {
    prodListeners: listenersOf("prod_traffic_route"),
    testListeners: listenersOf("test_traffic_route"),
    targetGroups: ctx.refs(names).filter((b) => b.type.endsWith("_target_group")),
    targetGroupNames: names,
  };
}
