import { PolicyContext, Rule, TfBlock } from "../../types";
import { blocks, violation } from "../../values";
import { ingressPermissions } from "./ingress-rules";

function hasText(value: unknown): boolean {
  return typeof value === "string" && value.trim().length > 0;
}

function undescribedEgress(ctx: PolicyContext): TfBlock[] {
  return [
    ...ctx.resources("aws_security_group").filter((sg) => blocks(sg.body.egress).some((r) => !hasText(r.description))),
    ...ctx.resources("aws_vpc_security_group_egress_rule").filter((r) => !hasText(r.body.description)),
    ...ctx.resources("aws_security_group_rule").filter((r) => r.body.type === "egress" && !hasText(r.body.description)),
  ];
}

export const sgRuleDescriptions: Rule = {
  id: "BG-SG-002",
  area: "security-group",
  title: "Security group rules say what they are for",
  check: "Every ingress and egress rule (inline or standalone) has a non-empty description.",
  rationale: "Reviewers and auditors need to know why a port is open; the description is shown in the console and in plans.",
  source: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
  fix: "Set description on the rule, e.g. \"production listener from the internet\".",
  evaluate: (ctx) => {
    const offenders = new Set<TfBlock>([
      ...ingressPermissions(ctx).filter((r) => !hasText(r.description)).map((r) => r.resource),
      ...undescribedEgress(ctx),
    ]);
    return [...offenders].map((r) => violation(r, "a security group rule has no description"));
  },
};
