import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { applyBucketBaseline } from "./bucket-baseline";
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

    this.policy = applyBucketBaseline(this, {
      bucket: this.bucket,
      kmsKeyArn: this.kmsKey.arn,
      lifecycleRules: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          // An empty filter applies the rule to every object (provider 5 and 6 both accept it).
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays, newerNoncurrentVersions: versionsKept }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
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
