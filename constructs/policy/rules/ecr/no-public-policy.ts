import { Rule } from "../../types";
import { statementLabel } from "../../iam-statements";
import { violation } from "../../values";
import { publicAllowStatements } from "../shared";

export const ecrNoPublicPolicy: Rule = {
  id: "BG-ECR-005",
  area: "ecr",
  title: "ECR repository policies allow nothing to everyone",
  check: "No aws_ecr_repository_policy has an Allow statement for principal * without a condition.",
  rationale: "An open repository policy lets any AWS account pull (or push) images.",
  source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html",
  fix: "Name the accounts or roles in the repository policy, or remove the statement.",
  evaluate: (ctx) =>
    ctx.resources("aws_ecr_repository_policy").flatMap((policy) => {
      const statements = ctx.statements(policy.body.policy) ?? [];
      return publicAllowStatements(statements).map((s) =>
        violation(policy, `${statementLabel(s, statements.indexOf(s))} allows ${s.actions.join(", ")} to everyone`),
      );
    }),
};
