import { actionMatches, statementLabel } from "../../iam-statements";
import { Rule } from "../../types";
import { violation } from "../../values";
import { hasExactCondition } from "./access";
import { allowStatements, identityPolicies } from "./policies";

/** Role changes that hand out permissions: only with the project boundary on the role (AWS's boundary delegation). */
export const BOUNDARY_DELEGATED_ACTIONS = [
  "iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary",
] as const;

export const iamRoleManagementBounded: Rule = {
  id: "BG-IAM-009",
  area: "iam",
  title: "Role management only inside a permissions boundary",
  check:
    "An Allow of iam:CreateRole, PutRolePolicy, AttachRolePolicy, DetachRolePolicy, DeleteRolePolicy or PutRolePermissionsBoundary has an exact iam:PermissionsBoundary condition; nothing allows iam:DeleteRolePermissionsBoundary.",
  rationale: "Whoever can create or change roles without a boundary can create a role with any policy and use it: account admin in disguise.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
  fix: "Add StringEquals iam:PermissionsBoundary = <boundary policy ARN> to the statement, and drop iam:DeleteRolePermissionsBoundary.",
  evaluate: (ctx) =>
    identityPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) => {
        const label = statementLabel(statement, index);
        const found = [];
        const delegated = BOUNDARY_DELEGATED_ACTIONS.filter((action) => statement.actions.some((pattern) => actionMatches(pattern, action)));
        if (delegated.length > 0 && !hasExactCondition(statement, "iam:PermissionsBoundary")) {
          found.push(violation(use.resource, `${label} allows ${delegated.join(", ")} without an iam:PermissionsBoundary condition`));
        }
        if (statement.actions.some((pattern) => actionMatches(pattern, "iam:DeleteRolePermissionsBoundary"))) {
          found.push(violation(use.resource, `${label} allows iam:DeleteRolePermissionsBoundary (removing a boundary escapes it)`));
        }
        return found;
      }),
    ),
};
