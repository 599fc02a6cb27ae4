import { Rule } from "../../types";
import { statementLabel } from "../../iam-statements";
import { violation } from "../../values";
import { publicAllowStatements } from "../shared";

export const s3NoPublicPolicy: Rule = {
  id: "BG-S3-007",
  area: "s3",
  title: "S3 bucket policies allow nothing to everyone",
  check: "No aws_s3_bucket_policy has an Allow statement for principal * without a condition.",
  rationale: "An unconditioned Allow to * makes the bucket public (the public access block would then be the only defence).",
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
  fix: "Name the principals (roles, services) in the Allow statement, or narrow it with a condition such as aws:SourceArn.",
  evaluate: (ctx) =>
    ctx.resources("aws_s3_bucket_policy").flatMap((policy) => {
      const statements = ctx.statements(policy.body.policy) ?? [];
      return publicAllowStatements(statements).map((s) =>
        violation(policy, `${statementLabel(s, statements.indexOf(s))} allows ${s.actions.join(", ")} to everyone`),
      );
    }),
};
