import { Rule, TfBlock } from "../../types";
import { violation } from "../../values";
import { listenerLoadBalancer, listeners, redirectsToHttps } from "./load-balancers";

export const albHttpRedirect: Rule = {
  id: "BG-ALB-003",
  area: "alb",
  title: "HTTP redirects to HTTPS when the ALB has HTTPS",
  check: "On a load balancer with an HTTPS listener, every HTTP listener's default action redirects to HTTPS.",
  rationale: "Once a certificate exists, plain HTTP would only serve the same application unencrypted.",
  source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions",
  fix: "Make the HTTP listener's default_action a redirect with protocol HTTPS, port 443, status HTTP_301.",
  evaluate: (ctx) => {
    const byLb = new Map<string, TfBlock[]>();
    for (const listener of listeners(ctx)) {
      const lb = listenerLoadBalancer(ctx, listener);
      if (lb) byLb.set(lb.address, [...(byLb.get(lb.address) ?? []), listener]);
    }
    return [...byLb.values()].flatMap((group) =>
      group.some((l) => l.body.protocol === "HTTPS")
        ? group
            .filter((l) => l.body.protocol === "HTTP" && !redirectsToHttps(l))
            .map((l) => violation(l, "HTTP listener on an HTTPS load balancer does not redirect to HTTPS"))
        : [],
    );
  },
};
