import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { PolicyDocument } from "../identity/iam";

export interface BucketBaselineProps {
  readonly bucket: S3Bucket;
  /** The customer-managed key every object is encrypted with. */
  readonly kmsKeyArn: string;
  /** The bucket's lifecycle rules (applied after versioning is on, which S3 validates them against). */
  readonly lifecycleRules: S3BucketLifecycleConfigurationRule[];
}

/**
 * The settings every bucket of this project has, created in the caller's scope (the ids are part of the
 * callers' resource addresses): all four public-access blocks, ACLs disabled (BucketOwnerEnforced),
 * versioning, SSE-KMS with a bucket key, the lifecycle rules, and a policy that denies plain HTTP and
 * TLS below 1.2. Returns the policy document so callers can add statements.
 */
export function applyBucketBaseline(scope: Construct, props: BucketBaselineProps): PolicyDocument {
  const { bucket } = props;
  const publicAccess = new S3BucketPublicAccessBlock(scope, "PublicAccessBlock", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "Ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  const versioning = new S3BucketVersioningA(scope, "Versioning", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
  new S3BucketServerSideEncryptionConfigurationA(scope, "Encryption", {
    bucket: bucket.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
        // One data key per bucket and period instead of per object: fewer KMS calls, lower cost; the KMS
        // encryption context becomes the bucket ARN.
        bucketKeyEnabled: true,
      },
    ],
  });
  new S3BucketLifecycleConfiguration(scope, "Lifecycle", {
    bucket: bucket.id,
    rule: props.lifecycleRules,
    // S3 validates lifecycle rules against the versioning state; apply them after it.
    dependsOn: [versioning],
  });
  const everything = [bucket.arn, `${bucket.arn}/*`];
  const policy = new PolicyDocument(scope, "Policy", [
    {
      sid: "DenyInsecureTransport",
      effect: "Deny",
      actions: ["s3:*"],
      resources: everything,
      principals: [{ type: "AWS", identifiers: ["*"] }],
      conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    },
    {
      sid: "DenyOutdatedTls",
      effect: "Deny",
      actions: ["s3:*"],
      resources: everything,
      principals: [{ type: "AWS", identifiers: ["*"] }],
      conditions: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
    },
  ]);
  new S3BucketPolicy(scope, "BucketPolicy", {
    bucket: bucket.id,
    policy: policy.json,
    // PutBucketPolicy can race the public access block on a new bucket; order them.
    dependsOn: [publicAccess],
  });
  return policy;
}
