import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { applyBucketBaseline } from "../state/bucket-baseline";
import { PolicyDocument, ServiceRole } from "../identity/iam";
import { shortName } from "../core/naming";

/** Reading pipeline artifacts (CodePipeline's documented service-role set, read half). */
export const ARTIFACT_READ_OBJECT_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion"] as const;
/** Writing pipeline artifacts. `PutObjectAcl`: CodePipeline and CodeBuild send `bucket-owner-full-control`, which ownership-enforced buckets still accept. */
export const ARTIFACT_WRITE_OBJECT_ACTIONS = ["s3:PutObject", "s3:PutObjectAcl"] as const;
/** Bucket-level reads CodePipeline makes before it uses an artifact store. */
export const ARTIFACT_BUCKET_ACTIONS = ["s3:GetBucketVersioning", "s3:GetBucketLocation", "s3:GetBucketAcl"] as const;
/** Decrypting SSE-KMS objects. */
export const ARTIFACT_KEY_READ_ACTIONS = ["kms:Decrypt", "kms:DescribeKey"] as const;
/** Encrypting new SSE-KMS objects (a data key per object, or per bucket key period). */
export const ARTIFACT_KEY_WRITE_ACTIONS = ["kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt*"] as const;

/** `bucket_prefix` is limited to 37 characters (Terraform appends a 26-character unique suffix). */
const BUCKET_PREFIX_MAX_LENGTH = 37;

export interface ArtifactBucketProps {
  /** Prefix of the bucket name (a unique suffix is appended, S3 names are global). */
  readonly name: string;
  /**
   * Days after which pipeline artifacts expire. Every artifact is the input of one execution;
   * older ones are only useful for a retry.
   * @default 30
   */
  readonly expireAfterDays?: number;
  /**
   * Days after which overwritten or deleted versions expire.
   * @default 7
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Adds `lifecycle.prevent_destroy` to the bucket and its key.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * The pipeline's artifact store: SSE-KMS with its own rotating key (the pipeline's artifact store
 * names it), versioned, no public access, no ACLs, TLS only, and old artifacts expire.
 */
export class ArtifactBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly kmsKey: KmsKey;
  public readonly policy: PolicyDocument;
  public readonly bucketName: string;
  public readonly arn: string;
  public readonly kmsKeyArn: string;
  /** The account id, taken from the key's ARN (no `aws_caller_identity` data source: offline plans stay possible). */
  public readonly accountId: string;

  constructor(scope: Construct, id: string, props: ArtifactBucketProps) {
    super(scope, id);
    const expireAfterDays = props.expireAfterDays ?? 30;
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 7;
    const preventDestroy = props.preventDestroy ?? true;
    validateDays("expireAfterDays", expireAfterDays);
    validateDays("noncurrentVersionExpirationDays", noncurrentDays);

    // The default key policy delegates to the account's IAM policies: each role is granted below.
    this.kmsKey = new KmsKey(this, "Key", {
      description: `Encrypts the pipeline artifacts of ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy },
    });
    this.bucket = new S3Bucket(this, "Bucket", {
      bucketPrefix: `${shortName(props.name, "artifacts", BUCKET_PREFIX_MAX_LENGTH - 1)}-`,
      // Never empty a bucket on destroy: the artifacts are the evidence of what was deployed.
      forceDestroy: false,
      lifecycle: { preventDestroy },
    });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.kmsKeyArn = this.kmsKey.arn;
    this.accountId = Fn.element(Fn.split(":", this.kmsKey.arn), 4);

    this.policy = applyBucketBaseline(this, {
      bucket: this.bucket,
      kmsKeyArn: this.kmsKey.arn,
      lifecycleRules: [
        {
          id: "expire-old-artifacts",
          status: "Enabled",
          // An empty filter applies the rule to every object (provider 5 and 6 both accept it).
          filter: [{}],
          expiration: [{ days: expireAfterDays }],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
  }

  /** Lets the role read artifacts (objects, bucket metadata, and decrypt with the key). */
  public grantRead(role: ServiceRole): void {
    role.addToPolicy(
      { sid: "ArtifactBucket", actions: [...ARTIFACT_BUCKET_ACTIONS], resources: [this.arn] },
      { sid: "ArtifactObjectsRead", actions: [...ARTIFACT_READ_OBJECT_ACTIONS], resources: [`${this.arn}/*`] },
      { sid: "ArtifactKeyRead", actions: [...ARTIFACT_KEY_READ_ACTIONS], resources: [this.kmsKeyArn] },
    );
  }

  /** Lets the role read and write artifacts, encrypting them with the bucket's key. */
  public grantReadWrite(role: ServiceRole): void {
    role.addToPolicy(
      { sid: "ArtifactBucket", actions: [...ARTIFACT_BUCKET_ACTIONS], resources: [this.arn] },
      {
        sid: "ArtifactObjectsReadWrite",
        actions: [...ARTIFACT_READ_OBJECT_ACTIONS, ...ARTIFACT_WRITE_OBJECT_ACTIONS],
        resources: [`${this.arn}/*`],
      },
      {
        sid: "ArtifactKeyReadWrite",
        actions: [...ARTIFACT_KEY_READ_ACTIONS, ...ARTIFACT_KEY_WRITE_ACTIONS],
        resources: [this.kmsKeyArn],
      },
    );
  }
}

function validateDays(prop: string, days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error(`ArtifactBucket: ${prop} must be an integer from 1 to 3650 (got ${days})`);
  }
}
