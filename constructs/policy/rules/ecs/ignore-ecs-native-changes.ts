import { PolicyContext, Rule, TfBlock } from "../../types";
import { blocks, ignoresChanges, violation } from "../../values";
import { nested } from "../shared";

/** What ECS-native blue/green changes on the service: the pipeline's revision and the live target group. */
const OWNED_BY_ECS = ["task_definition", "load_balancer"];

function isEcsBlueGreen(service: TfBlock): boolean {
  return nested(service.body, "deployment_configuration.strategy") === "BLUE_GREEN";
}

/** The listener rules an ECS-native service names as production or test rule. */
function shiftedRules(ctx: PolicyContext, service: TfBlock): TfBlock[] {
  return blocks(service.body.load_balancer).flatMap((lb) =>
    ["production_listener_rule", "test_listener_rule"].flatMap((key) =>
      ctx.refs(nested(lb, `advanced_configuration.${key}`)).filter((b) => b.type === "aws_lb_listener_rule" || b.type === "aws_alb_listener_rule"),
    ),
  );
}

export const ecsIgnoreEcsNativeChanges: Rule = {
  id: "BG-ECS-011",
  area: "ecs",
  title: "ECS-native blue/green ignores what ECS changes",
  check:
    "Every service with deployment_configuration.strategy BLUE_GREEN ignores task_definition and load_balancer, and the listener rules it names (production_listener_rule, test_listener_rule) ignore action.",
  rationale:
    "ECS reweights the rules and alternates the live target group on every release, and the pipeline registers the task definition; without ignore_changes the next apply moves traffic back or starts a deployment that does not alternate (terraform-provider-aws #45678).",
  source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html",
  fix: "Add lifecycle { ignore_changes = [task_definition, load_balancer] } to the service and lifecycle { ignore_changes = [action] } to its listener rules.",
  evaluate: (ctx) =>
    ctx.resources("aws_ecs_service").filter(isEcsBlueGreen).flatMap((service) => {
      const missing = OWNED_BY_ECS.filter((a) => !ignoresChanges(service.body, a));
      const own = missing.length > 0 ? [violation(service, `ignore_changes does not cover ${missing.join(", ")}`)] : [];
      const rules = shiftedRules(ctx, service)
        .filter((rule) => !ignoresChanges(rule.body, "action"))
        .map((rule) => violation(rule, "ECS reweights this rule's action, but ignore_changes does not cover action"));
      return [...own, ...rules];
    }),
};
