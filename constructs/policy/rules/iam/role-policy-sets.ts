/** The policies that act together with one policy: those of every role it is part of (a Deny in one limits an Allow in another). */
import { IamStatement, PolicyContext } from "../../types";
import { policiesOfRole, roleOf } from "./access";
import { PolicyUse } from "./policies";

/**
 * The statement lists that apply together with `use`: for each role the policy belongs to (its inline role, or the
 * roles a managed policy is attached to in this stack), every statement of that role's policies; a policy attached to
 * no role here (a permissions boundary, a policy for another stack's roles) stands alone.
 */
export function companionStatements(ctx: PolicyContext, use: PolicyUse): (readonly IamStatement[])[] {
  const roles =
    use.resource.type === "aws_iam_role"
      ? [use.resource]
      : use.resource.type === "aws_iam_role_policy"
        ? [roleOf(ctx, use.resource)].filter((role) => role !== undefined)
        : ctx
            .resources("aws_iam_role_policy_attachment")
            .filter((attachment) => ctx.refs(attachment.body.policy_arn).includes(use.resource))
            .map((attachment) => roleOf(ctx, attachment))
            .filter((role) => role !== undefined);
  if (roles.length === 0) return [use.statements ?? []];
  return roles.map((role) => policiesOfRole(ctx, role).flatMap((policy) => policy.statements ?? []));
}
