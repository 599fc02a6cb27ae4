/** Load balancers and listeners by both provider spellings (`aws_lb` and the older `aws_alb`). */
import { PolicyContext, TfBlock } from "../../types";
import { blocks } from "../../values";

export function loadBalancers(ctx: PolicyContext): TfBlock[] {
  return [...ctx.resources("aws_lb"), ...ctx.resources("aws_alb")];
}

export function listeners(ctx: PolicyContext): TfBlock[] {
  return [...ctx.resources("aws_lb_listener"), ...ctx.resources("aws_alb_listener")];
}

export function isApplication(lb: TfBlock): boolean {
  return lb.body.load_balancer_type === undefined || lb.body.load_balancer_type === "application";
}

/** The load balancer a listener belongs to. */
export function listenerLoadBalancer(ctx: PolicyContext, listener: TfBlock): TfBlock | undefined {
  return ctx.refs(listener.body.load_balancer_arn).find((b) => b.type === "aws_lb" || b.type === "aws_alb");
}

/** A listener whose default action redirects to HTTPS. */
export function redirectsToHttps(listener: TfBlock): boolean {
  return blocks(listener.body.default_action).some(
    (a) => a.type === "redirect" && blocks(a.redirect).some((r) => r.protocol === "HTTPS"),
  );
}
