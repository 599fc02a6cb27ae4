import { Rule } from "../../types";
import { blocks, isWithin, violation } from "../../values";
import { isApplication, listenerLoadBalancer, listeners, redirectsToHttps } from "./load-balancers";

export const albHttpsListeners: Rule = {
  id: "BG-ALB-006",
  area: "alb",
  title: "Listeners serve HTTPS unless the environment opted out",
  check:
    "Every listener of an application load balancer is HTTPS or redirects to HTTPS, except inside the constructs the configuration opted out " +
    "(environments[].allowPlainHttp: true, passed to the pack as `plainHttp`).",
  rationale: "Plain HTTP carries the application's traffic, cookies and credentials unencrypted between the client and the load balancer.",
  source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html (Checkov CKV_AWS_2, Trivy AVD-AWS-0054)",
  fix: "Give the environment certificateArn (an ACM certificate of its region): the listeners become HTTPS and port 80 redirects; or opt out explicitly with allowPlainHttp: true.",
  evaluate: (ctx) =>
    listeners(ctx)
      .filter((listener) => {
        const lb = listenerLoadBalancer(ctx, listener);
        return lb === undefined || isApplication(lb);
      })
      // An ALB listener's protocol defaults to HTTP.
      .filter((listener) => (listener.body.protocol ?? "HTTP") === "HTTP" && !redirectsToHttps(listener))
      .filter((listener) => !ctx.options.plainHttpPaths.some((path) => isWithin(listener.path, path)))
      .map((listener) => violation(listener, `plain HTTP listener on port ${String(listener.body.port ?? "80")} ${describeAction(listener.body.default_action)}`)),
};

function describeAction(action: unknown): string {
  const types = blocks(action).map((a) => String(a.type));
  return types.length > 0 ? `(${types.join(", ")})` : "(no default action)";
}
