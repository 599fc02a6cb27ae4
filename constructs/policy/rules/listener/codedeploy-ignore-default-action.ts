import { PolicyContext, Rule, TfBlock } from "../../types";
import { blocks, ignoresChanges, violation } from "../../values";
import { listeners } from "../alb/load-balancers";
import { deploymentRoutes } from "../codedeploy/routes";
import { ecsDeploymentGroups } from "../shared";

/** Listeners CodeDeploy rewrites: the routes of ECS deployment groups, and listeners forwarding to their target groups. */
function codeDeployListeners(ctx: PolicyContext): Set<TfBlock> {
  const found = new Set<TfBlock>();
  const targetGroups = new Set<TfBlock>();
  for (const group of ecsDeploymentGroups(ctx)) {
    const routes = deploymentRoutes(ctx, group);
    [...routes.prodListeners, ...routes.testListeners].forEach((l) => found.add(l));
    routes.targetGroups.forEach((t) => targetGroups.add(t));
  }
  for (const listener of listeners(ctx)) {
    if (ctx.refs(blocks(listener.body.default_action)).some((b) => targetGroups.has(b))) found.add(listener);
  }
  return found;
}

export const listenerIgnoresDefaultAction: Rule = {
  id: "BG-LSN-001",
  area: "listener",
  title: "Listeners CodeDeploy controls ignore default_action",
  check: "Listeners on a deployment group's prod/test route, or forwarding to its target groups, have lifecycle.ignore_changes including default_action.",
  rationale: "CodeDeploy rewrites the listener to a weighted forward; without ignore_changes the next terraform apply sends traffic back to the old task set.",
  source: "https://github.com/hashicorp/terraform-provider-aws/issues/28129",
  fix: "Add lifecycle { ignore_changes = [default_action] } to the listener.",
  evaluate: (ctx) =>
    [...codeDeployListeners(ctx)]
      .filter((l) => !ignoresChanges(l.body, "default_action"))
      .map((l) => violation(l, "CodeDeploy rewrites this listener but Terraform does not ignore default_action")),
};
