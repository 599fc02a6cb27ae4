import { ArtifactBucket, ArtifactBucketProps } from "../../../constructs/delivery/artifact-bucket";
import { ServiceRole } from "../../../constructs/identity/iam";
import { roleStatements } from "../../helpers/pipeline";
import { addressOf, awsTestStack, policyStatements, resourceById, synthJson } from "../../helpers/runtime";

function build(props: Partial<ArtifactBucketProps> = {}, grant?: (bucket: ArtifactBucket, role: ServiceRole) => void) {
  const stack = awsTestStack();
  const bucket = new ArtifactBucket(stack, "Artifacts", { name: "demo", ...props });
  const role = new ServiceRole(stack, "Role", { name: "demo-role", servicePrincipal: "codepipeline.amazonaws.com", description: "test" });
  grant?.(bucket, role);
  const json = synthJson(stack);
  const key = `\${${addressOf(json, "aws_kms_key", "Key")}.arn}`;
  const arn = `\${${addressOf(json, "aws_s3_bucket", "Bucket")}.arn}`;
  return { json, key, arn };
}

describe("ArtifactBucket", () => {
  test("encrypts with its own rotating KMS key and a bucket key", () => {
    const { json, key } = build();
    expect(resourceById(json, "aws_kms_key", "Key")).toMatchObject({ enable_key_rotation: true });
    expect(resourceById(json, "aws_s3_bucket_server_side_encryption_configuration", "Encryption").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key }, bucket_key_enabled: true },
    ]);
  });

  test("enables versioning", () => {
    const { json } = build();
    expect(resourceById(json, "aws_s3_bucket_versioning", "Versioning").versioning_configuration).toEqual({ status: "Enabled" });
  });

  test("blocks all four kinds of public access", () => {
    const { json } = build();
    expect(resourceById(json, "aws_s3_bucket_public_access_block", "PublicAccessBlock")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("enforces bucket ownership (no ACLs)", () => {
    const { json } = build();
    expect(resourceById(json, "aws_s3_bucket_ownership_controls", "Ownership").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("denies every request without TLS, or with TLS below 1.2", () => {
    const { json, arn } = build();
    expect(policyStatements(json, "Artifacts")).toEqual([
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [arn, `${arn}/*`],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
      {
        sid: "DenyOutdatedTls",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [arn, `${arn}/*`],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
      },
    ]);
  });

  test("expires artifacts after 30 days and noncurrent versions after 7 by default", () => {
    const { json } = build();
    expect(resourceById(json, "aws_s3_bucket_lifecycle_configuration", "Lifecycle").rule).toEqual([
      {
        id: "expire-old-artifacts",
        status: "Enabled",
        filter: [{}],
        expiration: [{ days: 30 }],
        noncurrent_version_expiration: [{ noncurrent_days: 7 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
      },
    ]);
  });

  test("takes the retention from props", () => {
    const { json } = build({ expireAfterDays: 90, noncurrentVersionExpirationDays: 3 });
    const rule = (resourceById(json, "aws_s3_bucket_lifecycle_configuration", "Lifecycle").rule as Record<string, unknown>[])[0];
    expect(rule).toMatchObject({ expiration: [{ days: 90 }], noncurrent_version_expiration: [{ noncurrent_days: 3 }] });
  });

  test("prevents destroy and never force-destroys by default", () => {
    const { json } = build();
    expect(resourceById(json, "aws_s3_bucket", "Bucket")).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(resourceById(json, "aws_kms_key", "Key")).toMatchObject({ lifecycle: { prevent_destroy: true } });
  });

  test("allows destroy when preventDestroy is false", () => {
    const { json } = build({ preventDestroy: false });
    expect(resourceById(json, "aws_s3_bucket", "Bucket")).toMatchObject({ lifecycle: { prevent_destroy: false } });
  });

  test("names the bucket with a unique suffix under a short prefix", () => {
    const { json } = build({ name: "a-very-long-project-name-that-goes-on-and-on" });
    const prefix = resourceById(json, "aws_s3_bucket", "Bucket").bucket_prefix as string;
    expect(prefix.length).toBeLessThanOrEqual(37);
    expect(prefix).toMatch(/-artifacts-$/);
  });

  test("grantRead gives object reads, bucket metadata and decrypt", () => {
    const { json, arn, key } = build({}, (bucket, role) => bucket.grantRead(role));
    expect(roleStatements(json, "Role")).toEqual([
      { sid: "ArtifactBucket", effect: "Allow", actions: ["s3:GetBucketVersioning", "s3:GetBucketLocation", "s3:GetBucketAcl"], resources: [arn] },
      { sid: "ArtifactObjectsRead", effect: "Allow", actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: [`${arn}/*`] },
      { sid: "ArtifactKeyRead", effect: "Allow", actions: ["kms:Decrypt", "kms:DescribeKey"], resources: [key] },
    ]);
  });

  test("grantReadWrite adds object writes and encryption with the key", () => {
    const { json, arn, key } = build({}, (bucket, role) => bucket.grantReadWrite(role));
    expect(roleStatements(json, "Role")).toEqual([
      { sid: "ArtifactBucket", effect: "Allow", actions: ["s3:GetBucketVersioning", "s3:GetBucketLocation", "s3:GetBucketAcl"], resources: [arn] },
      {
        sid: "ArtifactObjectsReadWrite",
        effect: "Allow",
        actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl"],
        resources: [`${arn}/*`],
      },
      {
        sid: "ArtifactKeyReadWrite",
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt*"],
        resources: [key],
      },
    ]);
  });

  test("derives the account id from the key ARN, without a data source", () => {
    const { json } = build();
    expect(json.data?.aws_caller_identity).toBeUndefined();
  });

  test("fails on a retention outside 1-3650 days", () => {
    expect(() => build({ expireAfterDays: 0 })).toThrow("ArtifactBucket: expireAfterDays must be an integer from 1 to 3650 (got 0)");
  });
});
