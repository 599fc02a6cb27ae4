import { PolicyContext, Rule, TfBlock } from "../../types";
import { strings, violation } from "../../values";

/** AWS managed policies that grant whole services or the whole account. */
const BROAD_POLICY = /:policy\/(?:.*\/)?(AdministratorAccess|PowerUserAccess|[A-Za-z0-9_-]*FullAccess[A-Za-z0-9_-]*)$/;

function attachments(ctx: PolicyContext): { resource: TfBlock; arn: string }[] {
  const single = ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"];
  return [
    ...single.flatMap((type) => ctx.resources(type).flatMap((r) => strings(r.body.policy_arn).map((arn) => ({ resource: r, arn })))),
    ...ctx.resources("aws_iam_role").flatMap((r) => strings(r.body.managed_policy_arns).map((arn) => ({ resource: r, arn }))),
    ...ctx
      .resources("aws_iam_role_policy_attachments_exclusive")
      .flatMap((r) => strings(r.body.policy_arns).map((arn) => ({ resource: r, arn }))),
  ];
}

export const iamNoBroadManagedPolicies: Rule = {
  id: "BG-IAM-004",
  area: "iam",
  title: "No AdministratorAccess, PowerUserAccess or *FullAccess attachments",
  check: "No role, user or group has an AWS managed policy named AdministratorAccess, PowerUserAccess or containing FullAccess attached.",
  rationale: "These policies grant every action of a service (or of the account); the project's roles need a handful of actions each.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-use-aws-defined-policies",
  fix: "Replace the attachment with an inline least-privilege policy (ServiceRole.addToPolicy) or a narrow service-role policy such as AWSCodeDeployRoleForECS.",
  evaluate: (ctx) =>
    attachments(ctx)
      .filter(({ arn }) => BROAD_POLICY.test(arn))
      .map(({ resource, arn }) => violation(resource, `attaches ${arn}`)),
};
