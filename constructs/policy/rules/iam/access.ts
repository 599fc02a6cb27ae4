/** Shared readers for the identity rules: what counts as a write, and glob matching of ARNs with tokens. */
import { IamStatement, PolicyContext, TfBlock } from "../../types";
import { identityPolicies, PolicyUse } from "./policies";

/** Verbs that only read (AWS access levels List and Read); anything else is treated as a write. */
const READ_VERB = /^(Get|List|Describe|BatchGet|Lookup|Search|View|Check|Query|Scan|Select|Estimate|Preview|Validate|Verify|Filter|Test)/;

/** Is `action` (possibly a wildcard such as `ecs:*`) able to write? */
export function isWriteAction(action: string): boolean {
  if (action === "*") return true;
  const verb = action.split(":")[1] ?? "";
  return verb === "" || verb.startsWith("*") || !READ_VERB.test(verb);
}

/** A statement's write actions. */
export function writeActions(statement: IamStatement): string[] {
  return statement.actions.filter(isWriteAction);
}

/**
 * Does the IAM resource pattern (with `*`/`?` wildcards, and Terraform expressions such as an account
 * id token standing for "some value") match `arn`?
 */
export function arnPatternMatches(pattern: string, arn: string): boolean {
  const expression = /\$\{[^}]*\}/g;
  const escape = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  const regex = pattern
    .split(expression)
    .map(escape)
    .join("[^:/]*");
  const target = arn.replace(expression, "TOKEN");
  return new RegExp(`^${regex}$`).test(target);
}

/** The role block an `aws_iam_role_policy` (or attachment) belongs to, by reference. */
export function roleOf(ctx: PolicyContext, block: TfBlock): TfBlock | undefined {
  return ctx.refs(block.body.role).find((ref) => ref.type === "aws_iam_role");
}

/**
 * The identity policies of a role: inline ones (`aws_iam_role_policy.role`, `inline_policy`) and the
 * customer managed policies of the stack attached to it (`aws_iam_role_policy_attachment`).
 */
export function policiesOfRole(ctx: PolicyContext, role: TfBlock): PolicyUse[] {
  const attached = new Set(
    ctx
      .resources("aws_iam_role_policy_attachment")
      .filter((attachment) => roleOf(ctx, attachment) === role)
      .flatMap((attachment) => ctx.refs(attachment.body.policy_arn).filter((ref) => ref.type === "aws_iam_policy")),
  );
  return identityPolicies(ctx).filter(
    (use) => use.resource === role || (use.resource.type === "aws_iam_role_policy" && roleOf(ctx, use.resource) === role) || attached.has(use.resource),
  );
}

/** Does a condition of the statement constrain `variable` (case-insensitive) to exact, non-wildcard values? */
export function hasExactCondition(statement: IamStatement, variable: string, tests = ["StringEquals", "ArnEquals", "StringEqualsIgnoreCase"]): boolean {
  return statement.conditions.some(
    (c) =>
      c.variable.toLowerCase() === variable.toLowerCase() &&
      tests.includes(c.test) &&
      c.values.length > 0 &&
      c.values.every((v) => v !== "" && !/[*?]/.test(v.replace(/\$\{[^}]*\}/g, ""))),
  );
}
