import { statementLabel } from "../../iam-statements";
import { IamStatement, Rule } from "../../types";
import { violation } from "../../values";
import { allowStatements, trustPolicies } from "./policies";

function hasCondition(statement: IamStatement, suffix: string): boolean {
  return statement.conditions.some((c) => c.variable.endsWith(suffix) && c.values.length > 0 && !c.values.includes("*"));
}

/** A GitHub-style `sub` that lets any repository (or any subject) assume the role. */
function hasOpenSubject(statement: IamStatement): boolean {
  return statement.conditions.some((c) => c.variable.endsWith(":sub") && c.values.some((v) => v === "*" || v.startsWith("repo:*")));
}

function problems(statement: IamStatement): string[] {
  const found: string[] = [];
  for (const principal of statement.principals) {
    if (principal.type === "*" || principal.identifiers.includes("*")) found.push("trusts any principal (*)");
    if (principal.type === "Federated") {
      if (!hasCondition(statement, ":aud")) found.push(`trusts ${principal.identifiers.join(", ")} without an audience (:aud) condition`);
      if (!hasCondition(statement, ":sub") || hasOpenSubject(statement)) {
        found.push(`trusts ${principal.identifiers.join(", ")} without a specific subject (:sub) condition`);
      }
    }
  }
  return found;
}

export const iamTrustScoped: Rule = {
  id: "BG-IAM-005",
  area: "iam",
  title: "Role trust policies name who may assume the role",
  check: "Trust policies: no `*` principal; federated (OIDC) principals need an :aud and a specific :sub condition; service principals are fine.",
  rationale: "A trust policy is the front door of a role; an OIDC trust without sub lets any repository on the provider assume it.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
  fix: "Trust a service principal, a named role ARN, or the OIDC provider with StringEquals <provider>:aud and <provider>:sub (e.g. repo:org/repo:ref:refs/heads/main).",
  evaluate: (ctx) =>
    trustPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) =>
        problems(statement).map((p) => violation(use.resource, `${statementLabel(statement, index)} ${p}`)),
      ),
    ),
};
