import { IamStatement, Rule } from "../../types";
import { actionMatches } from "../../iam-statements";
import { violation } from "../../values";
import { hasPublicPrincipal } from "../shared";

/** Deny to everyone, for all S3 actions, when the request did not use TLS. */
function deniesInsecureTransport(statement: IamStatement): boolean {
  return (
    statement.effect === "Deny" &&
    hasPublicPrincipal(statement) &&
    statement.actions.some((a) => actionMatches(a, "s3:GetObject") && actionMatches(a, "s3:PutObject") && actionMatches(a, "s3:ListBucket")) &&
    statement.conditions.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false"))
  );
}

export const s3TlsOnly: Rule = {
  id: "BG-S3-004",
  area: "s3",
  title: "S3 buckets refuse requests without TLS",
  check: "Every aws_s3_bucket has a bucket policy that denies s3:* to everyone when aws:SecureTransport is false.",
  rationale: "Without the deny, clients can read and write state and artifacts over plain HTTP.",
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
  fix: "Attach an aws_s3_bucket_policy with a Deny statement for s3:* on the bucket and its objects, principal *, condition Bool aws:SecureTransport = false.",
  evaluate: (ctx) =>
    ctx.resources("aws_s3_bucket").flatMap((bucket) => {
      const policies = ctx.attachedTo(bucket, "aws_s3_bucket_policy", "bucket", ["bucket"]);
      const statements = policies.flatMap((p) => ctx.statements(p.body.policy) ?? []);
      return statements.some(deniesInsecureTransport) ? [] : [violation(bucket, "no bucket policy denies requests without TLS")];
    }),
};
