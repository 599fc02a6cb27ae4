import { actionMatches, statementLabel } from "../../iam-statements";
import { IamStatement, Rule } from "../../types";
import { violation } from "../../values";
import { allowStatements, identityPolicies } from "./policies";

function problems(statement: IamStatement): string[] {
  const found: string[] = [];
  if (statement.resources.length === 0 || statement.resources.some((r) => r === "*" || r.endsWith(":role/*"))) {
    found.push("names no specific role ARNs");
  }
  const passedTo = statement.conditions.find((c) => c.variable.toLowerCase() === "iam:passedtoservice");
  if (!passedTo || passedTo.values.length === 0 || passedTo.values.includes("*")) {
    found.push("has no iam:PassedToService condition");
  }
  return found;
}

export const iamPassRoleScoped: Rule = {
  id: "BG-IAM-003",
  area: "iam",
  title: "iam:PassRole is scoped to roles and a service",
  check: "Every Allow statement that grants iam:PassRole names role ARNs (not `*`) and has an iam:PassedToService condition.",
  rationale: "An unscoped PassRole lets the holder hand any role, including admin roles, to a service it controls: privilege escalation.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
  fix: "Grant iam:PassRole on the task and execution role ARNs only, with condition StringEquals iam:PassedToService = ecs-tasks.amazonaws.com.",
  evaluate: (ctx) =>
    identityPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) => {
        if (!statement.actions.some((a) => actionMatches(a, "iam:PassRole"))) return [];
        const found = problems(statement);
        return found.length > 0 ? [violation(use.resource, `${statementLabel(statement, index)} passes roles but ${found.join(" and ")}`)] : [];
      }),
    ),
};
