import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { PolicyDocument } from "./iam";

/** The state key's alias; the deploy role's deny on key deletion matches it through `kms:ResourceAliases`. */
export function stateKeyAlias(bucketName: string): string {
  // KMS alias names allow letters, digits, "/", "_" and "-": bucket names may also hold dots.
  return `alias/tfstate/${bucketName.replace(/\./g, "-")}`;
}

export interface StateBucketProps {
  /** The bucket name (`state.bucket` in the config); S3 names are global, so it is used as given. */
  readonly bucketName: string;
  /**
   * Days an overwritten state version is kept. Every apply writes a new version: the old ones
   * are how you recover from a corrupted or wrongly migrated state.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Noncurrent versions always kept, however old (so a quiet stack keeps its history).
   * @default 10
   */
  readonly noncurrentVersionsKept?: number;
  /**
   * Adds `lifecycle.prevent_destroy` to the bucket and its key. Losing either loses every stack's state.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * The Terraform state bucket: SSE-KMS with its own rotating key, versioned, no public access,
 * no ACLs, TLS-only, old versions expire. Never `force_destroy`: state is not disposable.
 */
export class StateBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly kmsKey: KmsKey;
  public readonly policy: PolicyDocument;
  public readonly bucketName: string;
  public readonly arn: string;
  public readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 90;
    const versionsKept = props.noncurrentVersionsKept ?? 10;
    const preventDestroy = props.preventDestroy ?? true;
    validate(props.bucketName, noncurrentDays, versionsKept);

    // The default key policy delegates to the account's IAM policies (the OIDC roles are granted there).
    this.kmsKey = new KmsKey(this, "Key", {
      description: `Encrypts the Terraform state in s3://${props.bucketName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy },
    });
    new KmsAlias(this, "KeyAlias", { name: stateKeyAlias(props.bucketName), targetKeyId: this.kmsKey.keyId });

    this.bucket = new S3Bucket(this, "Bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy },
    });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.kmsKeyArn = this.kmsKey.arn;

    const publicAccess = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "Ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const versioning = new S3BucketVersioningA(this, "Versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.kmsKey.arn },
          // One data key per bucket and period instead of per object: fewer KMS calls; the KMS
          // encryption context becomes the bucket ARN, which the OIDC roles' key grants rely on.
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          // An empty filter applies the rule to every object (provider 5 and 6 both accept it).
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays, newerNoncurrentVersions: versionsKept }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
      // S3 validates lifecycle rules against the versioning state; apply them after it.
      dependsOn: [versioning],
    });

    this.policy = new PolicyDocument(this, "Policy", [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [this.bucket.arn, `${this.bucket.arn}/*`],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
      {
        sid: "DenyOutdatedTls",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [this.bucket.arn, `${this.bucket.arn}/*`],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        conditions: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
      },
    ]);
    new S3BucketPolicy(this, "BucketPolicy", {
      bucket: this.bucket.id,
      policy: this.policy.json,
      // PutBucketPolicy can race the public access block on a new bucket; order them.
      dependsOn: [publicAccess],
    });
  }
}

function validate(bucketName: string, noncurrentDays: number, versionsKept: number): void {
  if (!Number.isInteger(noncurrentDays) || noncurrentDays < 1 || noncurrentDays > 3650) {
    throw new Error(`StateBucket ${bucketName}: noncurrentVersionExpirationDays must be an integer from 1 to 3650 (got ${noncurrentDays})`);
  }
  if (!Number.isInteger(versionsKept) || versionsKept < 1 || versionsKept > 100) {
    throw new Error(`StateBucket ${bucketName}: noncurrentVersionsKept must be an integer from 1 to 100 (got ${versionsKept})`);
  }
}
