import { actionMatches, statementLabel } from "../../iam-statements";
import { Rule } from "../../types";
import { strings, violation } from "../../values";
import { arnPatternMatches, isWriteAction, policiesOfRole } from "./access";
import { allowStatements } from "./policies";

export const iamNoSelfGrant: Rule = {
  id: "BG-IAM-011",
  area: "iam",
  title: "No role may change itself",
  check:
    "No Allow of an IAM write action in a role's own policies (inline or attached customer managed) matches the role's own ARN, unless an unconditional Deny in one of them takes the action on that ARN away.",
  rationale: "A role that can put a policy on itself grants itself anything: one PutRolePolicy and it is `*:*`.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-delegate",
  fix: "Narrow the resource so it excludes the role, or add a Deny of the IAM write actions on the role's own ARN.",
  evaluate: (ctx) =>
    ctx.resources("aws_iam_role").flatMap((role) => {
      const name = typeof role.body.name === "string" ? role.body.name : undefined;
      if (!name || name.includes("${")) return [];
      // The account is rarely known at synth (a token): any account matches, the role name decides.
      const own = `arn:aws:iam::ACCOUNT:role/${name}`;
      const matchesOwn = (pattern: string) => arnPatternMatches(pattern.replace(/^(arn:aws[a-z-]*:iam::)(\$\{[^}]*\}|[^:]*)(:)/, "$1*$3"), own);
      const uses = policiesOfRole(ctx, role);
      // A Deny in any of the role's policies takes the action away for the whole role.
      const denies = uses.flatMap((use) => use.statements ?? []).filter((s) => s.effect === "Deny" && s.conditions.length === 0 && s.resources.some(matchesOwn));
      const denied = (action: string) => denies.some((d) => d.actions.some((pattern) => actionMatches(pattern, action)));
      return uses.flatMap((use) => {
        return allowStatements(use).flatMap(({ statement, index }) => {
          if (!statement.resources.some(matchesOwn)) return [];
          const open = statement.actions.filter((a) => (a === "*" || a.startsWith("iam:")) && isWriteAction(a) && a !== "iam:PassRole" && !denied(a));
          return open.length > 0
            ? [violation(use.resource, `${statementLabel(statement, index)} lets role ${name} ${open.join(", ")} on itself (${strings(statement.resources).join(", ")})`)]
            : [];
        });
      });
    }),
};
