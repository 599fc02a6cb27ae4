import { Rule } from "../../types";
import { isTrue, isWithin, violation } from "../../values";
import { loadBalancers } from "./load-balancers";

export const albDeletionProtection: Rule = {
  id: "BG-ALB-004",
  area: "alb",
  title: "ALBs have deletion protection where the config asks for it",
  check: "Load balancers inside a construct passed as `deletionProtection` to applyPolicyPack have enable_deletion_protection = true.",
  rationale: "Deleting a production ALB changes its DNS name and takes the service offline; protection makes that a two-step decision.",
  source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection",
  fix: "Pass deletionProtection: true to BlueGreenLoadBalancer (the environment's config asks for it), or set enable_deletion_protection = true.",
  evaluate: (ctx) =>
    loadBalancers(ctx)
      .filter((lb) => ctx.options.deletionProtectionPaths.some((p) => isWithin(lb.path, p)))
      .filter((lb) => !isTrue(lb.body.enable_deletion_protection))
      .map((lb) => violation(lb, "deletion protection is required for this environment but off")),
};
