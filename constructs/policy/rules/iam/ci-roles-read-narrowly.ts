import { actionMatches, statementLabel } from "../../iam-statements";
import { PolicyContext, Rule, TfBlock } from "../../types";
import { strings, violation } from "../../values";
import { policiesOfRole, roleOf } from "./access";
import { allowStatements } from "./policies";

/** AWS managed policies that read across the account: ReadOnlyAccess, ViewOnlyAccess and the service-wide *ReadOnlyAccess ones. */
const BROAD_READ_POLICY = /:policy\/(?:.*\/)?(ReadOnlyAccess|ViewOnlyAccess|[A-Za-z0-9]+ReadOnlyAccess)$/;

/** Reads of data rather than metadata: a grant of any of them on `*` reads every team's. */
export const DATA_READS = [
  "s3:GetObject", "s3:GetObjectVersion", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue",
  "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "logs:GetLogEvents", "logs:FilterLogEvents", "lambda:GetFunction",
  "codebuild:BatchGetProjects", "ec2:DescribeInstanceAttribute", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "kms:Decrypt",
] as const;

/** Roles GitHub Actions assumes: their trust names GitHub's OIDC provider, or conditions on its claims. */
function githubRoles(ctx: PolicyContext): TfBlock[] {
  return ctx.resources("aws_iam_role").filter((role) =>
    (ctx.statements(role.body.assume_role_policy) ?? []).some(
      (s) =>
        s.principals.some((p) => p.type === "Federated" && p.identifiers.some((id) => id.includes("token.actions.githubusercontent.com"))) ||
        s.conditions.some((c) => c.variable.startsWith("token.actions.githubusercontent.com:")),
    ),
  );
}

export const iamCiRolesReadNarrowly: Rule = {
  id: "BG-IAM-017",
  area: "iam",
  title: "CI roles read only what they need",
  check:
    "A role GitHub Actions assumes (trust on GitHub's OIDC provider) has no ReadOnlyAccess, ViewOnlyAccess or service-wide *ReadOnlyAccess attached, and no Allow on `*` of a data read (S3 objects, parameters, secrets, table items, log events, function code, build and instance configuration, images, Decrypt), by name or wildcard (`*:Get*`).",
  rationale:
    "Pull-request code runs with the plan role, and every job of the deploy workflow with the deploy role: an account-wide read hands every team's objects, parameters, tables, logs and code to whoever can push a branch.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
  fix: "Grant the reads Terraform's refresh and your tools make, on your own resources (constructs/identity/read-policy.ts builds them from the provider's Read calls).",
  evaluate: (ctx) =>
    githubRoles(ctx).flatMap((role) => {
      const attachments = ctx
        .resources("aws_iam_role_policy_attachment")
        .filter((attachment) => roleOf(ctx, attachment) === role)
        .flatMap((attachment) => strings(attachment.body.policy_arn).filter((arn) => BROAD_READ_POLICY.test(arn)).map((arn) => violation(attachment, `attaches ${arn} to a role GitHub Actions assumes`)));
      const grants = policiesOfRole(ctx, role).flatMap((use) =>
        allowStatements(use).flatMap(({ statement, index }) => {
          if (!statement.resources.includes("*") && statement.notResources.length === 0) return [];
          const data = DATA_READS.filter((action) => statement.actions.some((pattern) => actionMatches(pattern, action)));
          return data.length === 0 ? [] : [violation(use.resource, `${statementLabel(statement, index)} lets a role GitHub Actions assumes read ${data.join(", ")} on every resource`)];
        }),
      );
      return [...attachments, ...grants];
    }),
};
