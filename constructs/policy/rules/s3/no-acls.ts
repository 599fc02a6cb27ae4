import { Rule } from "../../types";
import { violation } from "../../values";

export const s3NoAcls: Rule = {
  id: "BG-S3-006",
  area: "s3",
  title: "S3 access is never granted with ACLs",
  check: "No aws_s3_bucket_acl resources, and no acl or grant arguments on aws_s3_bucket.",
  rationale: "ACLs bypass the bucket policy review and are the classic way buckets become public; AWS recommends disabling them.",
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
  fix: "Remove the ACL and grant access through the bucket policy or IAM instead.",
  evaluate: (ctx) => [
    ...ctx.resources("aws_s3_bucket_acl").map((acl) => violation(acl, "bucket ACL resource")),
    ...ctx
      .resources("aws_s3_bucket")
      .filter((b) => b.body.acl !== undefined || b.body.grant !== undefined)
      .map((b) => violation(b, "bucket sets an acl or grant argument")),
  ],
};
