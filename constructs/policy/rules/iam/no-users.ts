import { Rule } from "../../types";
import { violation } from "../../values";

const USER_TYPES = ["aws_iam_user", "aws_iam_access_key", "aws_iam_user_login_profile"];

export const iamNoUsers: Rule = {
  id: "BG-IAM-007",
  area: "iam",
  title: "No IAM users or long-lived access keys",
  check: "The stack creates no aws_iam_user, aws_iam_access_key or aws_iam_user_login_profile.",
  rationale: "Pipelines and deploys use roles (OIDC, service principals) with temporary credentials; access keys leak and never expire.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp",
  fix: "Use a role: GitHub Actions through OIDC, AWS services through their service principal.",
  evaluate: (ctx) => USER_TYPES.flatMap((type) => ctx.resources(type).map((r) => violation(r, `${type} creates long-lived credentials`))),
};
