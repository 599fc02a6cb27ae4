import { Rule } from "../../types";
import { violation } from "../../values";
import { nested } from "../shared";

const ALGORITHMS = ["aws:kms", "aws:kms:dsse", "AES256"];

export const s3Encryption: Rule = {
  id: "BG-S3-002",
  area: "s3",
  title: "S3 buckets declare default encryption",
  check: "Every aws_s3_bucket has an aws_s3_bucket_server_side_encryption_configuration (or the legacy inline block) with an SSE algorithm.",
  rationale: "Declaring encryption makes the at-rest protection explicit and reviewable, and lets buckets use a customer managed key.",
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html",
  fix: "Add aws_s3_bucket_server_side_encryption_configuration with apply_server_side_encryption_by_default.sse_algorithm = \"aws:kms\" (or \"AES256\").",
  evaluate: (ctx) =>
    ctx.resources("aws_s3_bucket").flatMap((bucket) => {
      const configs = ctx.attachedTo(bucket, "aws_s3_bucket_server_side_encryption_configuration", "bucket", ["bucket"]);
      const algorithms = [
        ...configs.map((c) => nested(c.body, "rule.apply_server_side_encryption_by_default.sse_algorithm")),
        nested(bucket.body, "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm"),
      ];
      return algorithms.some((a) => typeof a === "string" && ALGORITHMS.includes(a))
        ? []
        : [violation(bucket, "no server-side encryption configuration for this bucket")];
    }),
};
