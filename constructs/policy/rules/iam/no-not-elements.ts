import { statementLabel } from "../../iam-statements";
import { Rule } from "../../types";
import { violation } from "../../values";
import { allowStatements, identityPolicies } from "./policies";

export const iamNoNotElements: Rule = {
  id: "BG-IAM-006",
  area: "iam",
  title: "No Allow with NotAction or NotResource",
  check: "No Allow statement of an identity policy uses NotAction or NotResource.",
  rationale: "Allow + NotAction grants everything except a list, including every action AWS adds later.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
  fix: "List the allowed actions and resources explicitly.",
  evaluate: (ctx) =>
    identityPolicies(ctx).flatMap((use) =>
      allowStatements(use)
        .filter(({ statement }) => statement.notActions.length > 0 || statement.notResources.length > 0)
        .map(({ statement, index }) => violation(use.resource, `${statementLabel(statement, index)} allows with NotAction/NotResource`)),
    ),
};
