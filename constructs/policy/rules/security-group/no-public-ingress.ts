import { PolicyContext, Rule } from "../../types";
import { num, violation } from "../../values";
import { listenerLoadBalancer, listeners, redirectsToHttps } from "../alb/load-balancers";
import { deploymentRoutes } from "../codedeploy/routes";
import { ecsDeploymentGroups, ecsNativeProductionListeners } from "../shared";
import { ANYWHERE, ingressPermissions, isAllProtocols } from "./ingress-rules";

/**
 * Ports that may be open to the internet, per security group address: the prod listener ports of the
 * load balancers CodeDeploy (or ECS-native blue/green, through its production listener rule) serves
 * production from, and their HTTP-to-HTTPS redirect listeners.
 */
function publicPorts(ctx: PolicyContext): Map<string, Set<number>> {
  const allowed = new Map<string, Set<number>>();
  const prodLbs = new Map<string, number[]>();
  const prodListeners = [...ecsDeploymentGroups(ctx).flatMap((group) => deploymentRoutes(ctx, group).prodListeners), ...ecsNativeProductionListeners(ctx)];
  for (const listener of prodListeners) {
    const lb = listenerLoadBalancer(ctx, listener);
    const port = num(listener.body.port);
    if (lb && port !== undefined) prodLbs.set(lb.address, [...(prodLbs.get(lb.address) ?? []), port]);
  }
  for (const listener of listeners(ctx)) {
    const lb = listenerLoadBalancer(ctx, listener);
    const port = num(listener.body.port);
    if (lb && port !== undefined && prodLbs.has(lb.address) && redirectsToHttps(listener)) prodLbs.get(lb.address)?.push(port);
  }
  for (const [address, ports] of prodLbs) {
    const lb = ctx.byAddress(address);
    for (const sg of lb ? ctx.refs(lb.body.security_groups) : []) {
      allowed.set(sg.address, new Set([...(allowed.get(sg.address) ?? []), ...ports]));
    }
  }
  return allowed;
}

export const sgNoPublicIngress: Rule = {
  id: "BG-SG-001",
  area: "security-group",
  title: "Nothing is reachable from anywhere except the production listener",
  check: "Ingress from 0.0.0.0/0 or ::/0 (inline ingress, aws_vpc_security_group_ingress_rule, aws_security_group_rule) only to a single prod-listener port (or its HTTP redirect) on the security group of that ALB.",
  rationale: "The ALB's production port is the only intended public entry; tasks, test listeners and anything else must be reached from named sources.",
  source: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
  fix: "Restrict the rule's source to a security group or known CIDRs (test listener: testListenerCidrs / allowTestTrafficFrom).",
  evaluate: (ctx) => {
    const allowed = publicPorts(ctx);
    return ingressPermissions(ctx).flatMap((rule) => {
      const open = rule.cidrs.filter((c) => ANYWHERE.includes(c));
      if (open.length === 0) return [];
      const ports = rule.securityGroup ? allowed.get(rule.securityGroup.address) : undefined;
      const single = !isAllProtocols(rule.protocol) && rule.fromPort !== undefined && rule.fromPort === rule.toPort;
      if (single && ports?.has(rule.fromPort as number)) return [];
      const range = isAllProtocols(rule.protocol) ? "all ports" : `ports ${rule.fromPort}-${rule.toPort}`;
      return [violation(rule.resource, `allows ${open.join(", ")} to ${range}, which is not a production listener port`)];
    });
  },
};
