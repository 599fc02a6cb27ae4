import { Rule } from "../../types";
import { isTrue, violation } from "../../values";
import { isApplication, loadBalancers } from "./load-balancers";

export const albDropInvalidHeaders: Rule = {
  id: "BG-ALB-001",
  area: "alb",
  title: "ALBs drop invalid HTTP header fields",
  check: "Every application load balancer has drop_invalid_header_fields = true.",
  rationale: "Headers with invalid names are a request-smuggling vector; dropping them protects the containers behind the ALB.",
  source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes",
  fix: "Set drop_invalid_header_fields = true on the aws_lb.",
  evaluate: (ctx) =>
    loadBalancers(ctx)
      .filter((lb) => isApplication(lb) && !isTrue(lb.body.drop_invalid_header_fields))
      .map((lb) => violation(lb, "drop_invalid_header_fields is not true")),
};
