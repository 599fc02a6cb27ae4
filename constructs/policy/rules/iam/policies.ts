/** Where IAM policies live in the synthesized stack, resolved to statements. */
import { IamStatement, PolicyContext, TfBlock } from "../../types";
import { blocks } from "../../values";

/** A policy argument of a resource, with its statements (undefined when the pack cannot read it). */
export interface PolicyUse {
  readonly resource: TfBlock;
  readonly attribute: string;
  readonly statements: readonly IamStatement[] | undefined;
}

/** Resource types whose `policy` argument is an identity policy. */
const IDENTITY_POLICY_TYPES = ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/** Identity (permission) policies: inline role/user/group policies, managed policies, `aws_iam_role.inline_policy`. */
export function identityPolicies(ctx: PolicyContext): PolicyUse[] {
  const uses: PolicyUse[] = IDENTITY_POLICY_TYPES.flatMap((type) =>
    ctx.resources(type).map((resource) => ({ resource, attribute: "policy", statements: ctx.statements(resource.body.policy) })),
  );
  for (const role of ctx.resources("aws_iam_role")) {
    for (const inline of blocks(role.body.inline_policy)) {
      if (inline.policy !== undefined) uses.push({ resource: role, attribute: "inline_policy", statements: ctx.statements(inline.policy) });
    }
  }
  return uses;
}

/** Trust policies (`aws_iam_role.assume_role_policy`). */
export function trustPolicies(ctx: PolicyContext): PolicyUse[] {
  return ctx
    .resources("aws_iam_role")
    .map((resource) => ({ resource, attribute: "assume_role_policy", statements: ctx.statements(resource.body.assume_role_policy) }));
}

/** Allow statements of a policy use with their positions (for labels). */
export function allowStatements(use: PolicyUse): { statement: IamStatement; index: number }[] {
  return (use.statements ?? []).flatMap((statement, index) => (statement.effect === "Allow" ? [{ statement, index }] : []));
}
