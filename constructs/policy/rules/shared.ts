/** Checks several rules share. */
import { IamStatement, PolicyContext, TfBlock } from "../types";
import { isObject } from "../values";

/** The statement applies to anyone: principal `*` (type `*`, or `AWS: "*"`). */
export function hasPublicPrincipal(statement: IamStatement): boolean {
  return statement.principals.some((p) => p.type === "*" || p.identifiers.includes("*"));
}

/** Allow statements open to anyone without any condition narrowing them (public resource policies). */
export function publicAllowStatements(statements: readonly IamStatement[]): IamStatement[] {
  return statements.filter((s) => s.effect === "Allow" && hasPublicPrincipal(s) && s.conditions.length === 0);
}

/** Value at a dotted path through nested blocks (first block at each level), e.g. `rule.apply_server_side_encryption_by_default.sse_algorithm`. */
export function nested(body: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = body;
  for (const key of path.split(".")) {
    const level = Array.isArray(current) ? current[0] : current;
    if (!isObject(level)) return undefined;
    current = level[key];
  }
  return current;
}

/** ECS deployment groups: CodeDeploy deployment groups that target an ECS service. */
export function ecsDeploymentGroups(ctx: PolicyContext): TfBlock[] {
  return ctx.resources("aws_codedeploy_deployment_group").filter((g) => g.body.ecs_service !== undefined);
}

/**
 * Listeners that serve production through an ECS-native blue/green service: the listener of each rule an
 * `aws_ecs_service` names as `load_balancer.advanced_configuration.production_listener_rule`.
 */
export function ecsNativeProductionListeners(ctx: PolicyContext): TfBlock[] {
  return ctx.resources("aws_ecs_service").flatMap((service) => {
    const loadBalancers = Array.isArray(service.body.load_balancer) ? service.body.load_balancer : [service.body.load_balancer];
    return loadBalancers
      .flatMap((lb) => ctx.refs(nested((lb ?? {}) as Record<string, unknown>, "advanced_configuration.production_listener_rule")))
      .filter((rule) => rule.type === "aws_lb_listener_rule" || rule.type === "aws_alb_listener_rule")
      .flatMap((rule) => ctx.refs(rule.body.listener_arn).filter((b) => b.type.endsWith("_listener")));
  });
}
