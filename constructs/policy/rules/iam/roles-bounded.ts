import { Rule } from "../../types";
import { violation } from "../../values";

export const iamRolesBounded: Rule = {
  id: "BG-IAM-010",
  area: "iam",
  title: "Every project role carries the permissions boundary",
  check: "Every aws_iam_role has a permissions_boundary (except in the access stack, whose plan and deploy roles are the administrator's).",
  rationale: "The deploy role may only create roles inside the boundary; a role without one is either refused at apply or, worse, escapes the boundary.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-delegate",
  fix: "Create roles with ServiceRole (it sets the stack's boundary), or register the boundary with useRoleBoundary before the role is created.",
  evaluate: (ctx) =>
    ctx.options.identity
      ? []
      : ctx
          .resources("aws_iam_role")
          .filter((role) => typeof role.body.permissions_boundary !== "string" || role.body.permissions_boundary === "")
          .map((role) => violation(role, "has no permissions_boundary")),
};
