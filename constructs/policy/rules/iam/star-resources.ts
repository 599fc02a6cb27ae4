import { statementLabel } from "../../iam-statements";
import { Rule } from "../../types";
import { violation } from "../../values";
import { allowStatements, identityPolicies } from "./policies";
import { hasNoResourceLevelPermission } from "./resource-less-actions";

export const iamStarResources: Rule = {
  id: "BG-IAM-002",
  area: "iam",
  title: "`*` resources only for actions without resource-level permissions",
  check: "An Allow statement with Resource `*` contains only actions from the pack's list of actions that have no resource-level permission.",
  rationale: "Every other action can be scoped to the ARNs the role actually uses; `*` would extend it to every resource in the account.",
  source: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
  fix: "Scope the statement to the resource ARNs, or move the resource-less actions into their own statement (and comment why).",
  evaluate: (ctx) =>
    identityPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) => {
        if (!statement.resources.includes("*")) return [];
        const scopable = statement.actions.filter((a) => !hasNoResourceLevelPermission(a));
        return scopable.length > 0
          ? [violation(use.resource, `${statementLabel(statement, index)} grants ${scopable.join(", ")} on "*"`)]
          : [];
      }),
    ),
};
