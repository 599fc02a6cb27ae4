import { Rule } from "../../types";
import { isTrue, violation } from "../../values";

const SETTINGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

export const s3PublicAccessBlock: Rule = {
  id: "BG-S3-001",
  area: "s3",
  title: "S3 buckets block all public access",
  check: "Every aws_s3_bucket has an aws_s3_bucket_public_access_block with all four settings true.",
  rationale: "The block overrides any ACL or policy that would make the bucket or its objects public; state and artifacts must never be public.",
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
  fix: "Add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets = true.",
  evaluate: (ctx) =>
    ctx.resources("aws_s3_bucket").flatMap((bucket) => {
      const blocks = ctx.attachedTo(bucket, "aws_s3_bucket_public_access_block", "bucket", ["bucket"]);
      if (blocks.length === 0) return [violation(bucket, "no aws_s3_bucket_public_access_block for this bucket")];
      const missing = SETTINGS.filter((s) => !blocks.some((b) => isTrue(b.body[s])));
      return missing.length > 0 ? [violation(bucket, `public access block leaves ${missing.join(", ")} off`)] : [];
    }),
};
