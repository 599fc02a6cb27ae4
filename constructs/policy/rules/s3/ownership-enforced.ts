import { Rule } from "../../types";
import { violation } from "../../values";
import { nested } from "../shared";

export const s3OwnershipEnforced: Rule = {
  id: "BG-S3-005",
  area: "s3",
  title: "S3 buckets disable ACLs (bucket owner enforced)",
  check: "Every aws_s3_bucket has aws_s3_bucket_ownership_controls with object_ownership = BucketOwnerEnforced.",
  rationale: "With ACLs disabled, access is decided by policies alone and objects written by other principals still belong to the bucket owner.",
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
  fix: "Add aws_s3_bucket_ownership_controls for the bucket with rule.object_ownership = \"BucketOwnerEnforced\".",
  evaluate: (ctx) =>
    ctx.resources("aws_s3_bucket").flatMap((bucket) => {
      const enforced = ctx
        .attachedTo(bucket, "aws_s3_bucket_ownership_controls", "bucket", ["bucket"])
        .some((c) => nested(c.body, "rule.object_ownership") === "BucketOwnerEnforced");
      return enforced ? [] : [violation(bucket, "object ownership is not BucketOwnerEnforced")];
    }),
};
