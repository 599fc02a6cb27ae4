import { Rule } from "../../types";
import { isTrue, violation } from "../../values";
import { nested } from "../shared";

export const s3Versioning: Rule = {
  id: "BG-S3-003",
  area: "s3",
  title: "S3 buckets are versioned",
  check: "Every aws_s3_bucket has aws_s3_bucket_versioning with status Enabled (or the legacy inline versioning enabled).",
  rationale: "Versions recover Terraform state and pipeline artifacts after an overwrite or delete.",
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
  fix: "Add aws_s3_bucket_versioning for the bucket with versioning_configuration.status = \"Enabled\".",
  evaluate: (ctx) =>
    ctx.resources("aws_s3_bucket").flatMap((bucket) => {
      const enabled =
        ctx
          .attachedTo(bucket, "aws_s3_bucket_versioning", "bucket", ["bucket"])
          .some((v) => nested(v.body, "versioning_configuration.status") === "Enabled") ||
        isTrue(nested(bucket.body, "versioning.enabled"));
      return enabled ? [] : [violation(bucket, "versioning is not enabled for this bucket")];
    }),
};
