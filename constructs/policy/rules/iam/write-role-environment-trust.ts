import { statementLabel } from "../../iam-statements";
import { Rule, TfBlock } from "../../types";
import { strings, violation } from "../../values";
import { writeActions, policiesOfRole, roleOf } from "./access";
import { allowStatements, trustPolicies } from "./policies";

/** Managed policies that only read. */
const READ_ONLY_MANAGED = /:policy\/(ReadOnlyAccess|ViewOnlyAccess|SecurityAudit)$/;

export const iamWriteRoleEnvironmentTrust: Rule = {
  id: "BG-IAM-012",
  area: "iam",
  title: "Write roles trust a protected GitHub environment, not a branch",
  check:
    "A role trusted by a GitHub OIDC subject of the form repo:<owner>/<name>:ref:... holds no write action (inline Allow, or a managed policy other than ReadOnlyAccess/ViewOnlyAccess/SecurityAudit).",
  rationale:
    "Any workflow run on the branch mints a branch-ref token, including a workflow a repository writer edits; only an environment adds required reviewers and a branch policy in front of the role.",
  source: "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims",
  fix: "Trust repo:<owner>/<name>:environment:<environment> (github.deployEnvironment) and run the deploy job in that environment.",
  evaluate: (ctx) =>
    trustPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) => {
        const refSubjects = statement.conditions
          .filter((c) => c.variable.endsWith(":sub"))
          .flatMap((c) => c.values)
          .filter((value) => /^repo:[^:]+:ref:/.test(value));
        if (refSubjects.length === 0) return [];
        const writes = writesOf(ctx, use.resource);
        return writes.length > 0
          ? [violation(use.resource, `${statementLabel(statement, index)} trusts ${refSubjects.join(", ")} and the role can write (${writes.slice(0, 3).join(", ")})`)]
          : [];
      }),
    ),
};

function writesOf(ctx: Parameters<Rule["evaluate"]>[0], role: TfBlock): string[] {
  const inline = policiesOfRole(ctx, role).flatMap((use) => allowStatements(use).flatMap(({ statement }) => writeActions(statement)));
  const managed = ctx
    .resources("aws_iam_role_policy_attachment")
    .filter((attachment) => roleOf(ctx, attachment) === role)
    .flatMap((attachment) => strings(attachment.body.policy_arn))
    .filter((arn) => !READ_ONLY_MANAGED.test(arn));
  return [...inline, ...managed];
}
