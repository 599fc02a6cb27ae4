import { Rule } from "../../types";
import { violation } from "../../values";
import { isApplication, loadBalancers } from "./load-balancers";

export const albDesyncMitigation: Rule = {
  id: "BG-ALB-005",
  area: "alb",
  title: "ALBs mitigate HTTP desync",
  check: "No application load balancer sets desync_mitigation_mode = monitor.",
  rationale: "Monitor mode forwards ambiguous requests that enable request smuggling; defensive (the default) or strictest blocks them.",
  source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#desync-mitigation-mode",
  fix: "Remove desync_mitigation_mode (default defensive) or set it to \"strictest\".",
  evaluate: (ctx) =>
    loadBalancers(ctx)
      .filter((lb) => isApplication(lb) && lb.body.desync_mitigation_mode === "monitor")
      .map((lb) => violation(lb, "desync_mitigation_mode is monitor")),
};
