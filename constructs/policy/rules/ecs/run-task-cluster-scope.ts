import { actionMatches, statementLabel } from "../../iam-statements";
import { IamStatement, Rule } from "../../types";
import { violation } from "../../values";
import { allowStatements, identityPolicies } from "../iam/policies";
import { companionStatements } from "../iam/role-policy-sets";

/** The calls that place a task definition on a cluster. */
const PLACEMENT_ACTIONS = ["ecs:RunTask", "ecs:StartTask"];

const grants = (statement: IamStatement, action: string) => statement.actions.some((pattern) => actionMatches(pattern, action));
const conditionsOnCluster = (statement: IamStatement, tests: RegExp) =>
  statement.conditions.some((c) => c.variable.toLowerCase() === "ecs:cluster" && tests.test(c.test) && c.values.length > 0 && !c.values.includes("*"));

/** A Deny conditioned on nothing but a negated ecs:cluster (another condition would leave some clusters open). */
const fencesOutsideClusters = (statement: IamStatement) =>
  conditionsOnCluster(statement, /^(ArnNotLike|ArnNotEquals|StringNotLike|StringNotEquals)$/) && statement.conditions.every((c) => c.variable.toLowerCase() === "ecs:cluster");

export const ecsRunTaskClusterScope: Rule = {
  id: "BG-ECS-012",
  area: "ecs",
  title: "RunTask and StartTask only on named clusters",
  check:
    "An Allow of ecs:RunTask or ecs:StartTask (or a wildcard covering them) carries an ecs:cluster condition, or the role's policies (the policy itself, for one attached to no role here) deny both outside named clusters (a Deny with ArnNotLike/StringNotLike on ecs:cluster).",
  rationale:
    "A task definition's ARN does not say where it runs: without ecs:cluster, a grant on the project's task definitions runs them on any cluster of the region, privileged and with host networking on an EC2-backed one.",
  source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security_iam_id-based-policy-examples.html",
  fix: "Add a condition ArnLike ecs:cluster = arn:aws:ecs:<region>:<account>:cluster/<project>-*, or a Deny of ecs:RunTask and ecs:StartTask with ArnNotLike on it.",
  evaluate: (ctx) =>
    identityPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) => {
        const placing = PLACEMENT_ACTIONS.filter((action) => grants(statement, action));
        if (placing.length === 0 || conditionsOnCluster(statement, /^(ArnLike|ArnEquals|StringLike|StringEquals)$/)) return [];
        const fenced = companionStatements(ctx, use).every((statements) =>
          placing.every((action) =>
            statements.some((s) => s.effect === "Deny" && grants(s, action) && s.resources.includes("*") && fencesOutsideClusters(s)),
          ),
        );
        return fenced ? [] : [violation(use.resource, `${statementLabel(statement, index)} allows ${placing.join(" and ")} on any cluster (no ecs:cluster condition, no Deny outside named clusters)`)];
      }),
    ),
};
