import { statementLabel } from "../../iam-statements";
import { Rule } from "../../types";
import { violation } from "../../values";
import { allowStatements, identityPolicies } from "./policies";

/** `*` or a whole service (`s3:*`). Narrower patterns such as `ec2:Describe*` are allowed. */
const WILDCARD_ACTION = /^(\*|[a-z0-9-]+:\*)$/i;

export const iamNoWildcardActions: Rule = {
  id: "BG-IAM-001",
  area: "iam",
  title: "Identity policies grant named actions",
  check: "No Allow statement of a role, user, group or managed policy grants `*` or `<service>:*`.",
  rationale: "Whole-service grants include actions nobody reviewed (deletes, policy changes) and grow as AWS adds actions.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
  fix: "List the actions the role calls, as a named constant next to the construct that grants them.",
  evaluate: (ctx) =>
    identityPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) => {
        const wild = statement.actions.filter((a) => WILDCARD_ACTION.test(a));
        return wild.length > 0 ? [violation(use.resource, `${statementLabel(statement, index)} allows ${wild.join(", ")}`)] : [];
      }),
    ),
};
