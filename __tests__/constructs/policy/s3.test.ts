import { S3BucketAcl } from "@cdktf/provider-aws/lib/s3-bucket-acl";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { address, compliantBucket, policyDocument, policyStack, removeConstruct, violatingAddresses, violationsOf } from "../../helpers/policy";

describe("S3 rules", () => {
  test("pass on a bucket with every safeguard", () => {
    const stack = policyStack();
    compliantBucket(stack);
    for (const id of ["BG-S3-001", "BG-S3-002", "BG-S3-003", "BG-S3-004", "BG-S3-005", "BG-S3-006", "BG-S3-007"]) {
      expect([id, violatingAddresses(stack, id)]).toEqual([id, []]);
    }
  });

  test("BG-S3-001 flags a bucket without a public access block", () => {
    const stack = policyStack();
    const { bucket, publicAccessBlock } = compliantBucket(stack);
    removeConstruct(publicAccessBlock);
    expect(violationsOf(stack, "BG-S3-001")).toEqual([
      expect.objectContaining({ address: address(bucket), message: "no aws_s3_bucket_public_access_block for this bucket" }),
    ]);
  });

  test("BG-S3-001 names the public access settings left off", () => {
    const stack = policyStack();
    compliantBucket(stack).publicAccessBlock.addOverride("restrict_public_buckets", false);
    expect(violationsOf(stack, "BG-S3-001")[0].message).toBe("public access block leaves restrict_public_buckets off");
  });

  test("BG-S3-002 flags a bucket without an encryption configuration", () => {
    const stack = policyStack();
    removeConstruct(compliantBucket(stack).encryption);
    expect(violatingAddresses(stack, "BG-S3-002")).toHaveLength(1);
  });

  test("BG-S3-003 flags a suspended bucket", () => {
    const stack = policyStack();
    compliantBucket(stack).versioning.addOverride("versioning_configuration.status", "Suspended");
    expect(violatingAddresses(stack, "BG-S3-003")).toHaveLength(1);
  });

  test("BG-S3-004 flags a bucket whose policy does not deny insecure transport", () => {
    const stack = policyStack();
    const { policy, bucket } = compliantBucket(stack);
    const allowOnly = policyDocument(stack, "AllowOnly", [
      { actions: ["s3:GetObject"], resources: [`${bucket.arn}/*`], principals: [{ type: "Service", identifiers: ["codebuild.amazonaws.com"] }] },
    ]);
    policy.addOverride("policy", allowOnly.json);
    expect(violatingAddresses(stack, "BG-S3-004")).toHaveLength(1);
  });

  test("BG-S3-004 accepts a TLS-only policy written as literal JSON", () => {
    const stack = policyStack();
    compliantBucket(stack).policy.addOverride(
      "policy",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }],
      }),
    );
    expect(violatingAddresses(stack, "BG-S3-004")).toEqual([]);
  });

  test("BG-S3-005 flags ownership controls that keep ACLs", () => {
    const stack = policyStack();
    compliantBucket(stack).ownership.addOverride("rule.object_ownership", "BucketOwnerPreferred");
    expect(violatingAddresses(stack, "BG-S3-005")).toHaveLength(1);
  });

  test("BG-S3-006 flags bucket ACL resources and acl arguments", () => {
    const stack = policyStack();
    const { bucket } = compliantBucket(stack);
    new S3BucketAcl(stack, "Acl", { bucket: bucket.id, acl: "private" });
    bucket.addOverride("acl", "private");
    expect(violatingAddresses(stack, "BG-S3-006").sort()).toEqual([address(bucket), "aws_s3_bucket_acl.Acl"]);
  });

  test("BG-S3-007 flags a bucket policy that allows everyone without a condition", () => {
    const stack = policyStack();
    const { bucket } = compliantBucket(stack);
    const open = policyDocument(stack, "Open", [{ sid: "Open", actions: ["s3:GetObject"], resources: [`${bucket.arn}/*`], principals: [{ type: "*", identifiers: ["*"] }] }]);
    new S3BucketPolicy(stack, "OpenPolicy", { bucket: bucket.id, policy: open.json });
    expect(violationsOf(stack, "BG-S3-007")).toEqual([
      expect.objectContaining({ address: "aws_s3_bucket_policy.OpenPolicy", message: 'statement "Open" allows s3:GetObject to everyone' }),
    ]);
  });
});
