import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { applyBucketBaseline } from "./bucket-baseline";
import { PolicyDocument, PolicyStatement } from "../identity/iam";

/** The state key's alias: the S3 backends name the key by it unless `state.kmsKeyArn` is set, and the deploy role's deny on key deletion matches it through `kms:ResourceAliases`. */
export function stateKeyAlias(bucketName: string): string {
  // KMS alias names allow letters, digits, "/", "_" and "-": bucket names may also hold dots.
  return `alias/tfstate/${bucketName.replace(/\./g, "-")}`;
}

/** Who may read state objects (state holds every resource attribute, generated secrets included). */
export interface StateReaders {
  /** Roles of the bucket's account, by name, that read and write state from CI: the plan and deploy roles. */
  readonly roleNames: readonly string[];
  /**
   * Administrator role ARNs (`state.adminRoleArns`). When given, every other principal is denied object reads.
   * When empty, only roles named `<projectRolePrefix>*` (the roles the stacks create: build, pipeline,
   * tasks, hooks) are denied, so the administrator who applies `bootstrap` and `<project>-access` is never
   * locked out by default.
   */
  readonly adminRoleArns: readonly string[];
  /** Name prefix of the project's roles (`<project>-`), denied reads when no administrator is named. */
  readonly projectRolePrefix: string;
}

export interface StateBucketProps {
  /** The bucket name (`state.bucket` in the config); S3 names are global, so it is used as given. */
  readonly bucketName: string;
  /** Principals that may read state objects; the bucket policy denies the others (see StateReaders). */
  readonly readers: StateReaders;
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
  /** The account id, taken from the key's ARN (no `aws_caller_identity` data source: offline plans stay possible). */
  public readonly accountId: string;

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
    const alias = new KmsAlias(this, "KeyAlias", { name: stateKeyAlias(props.bucketName), targetKeyId: this.kmsKey.keyId });

    this.bucket = new S3Bucket(this, "Bucket", {
      bucket: props.bucketName,
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
          id: "expire-old-state-versions",
          status: "Enabled",
          // An empty filter applies the rule to every object (provider 5 and 6 both accept it).
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays, newerNoncurrentVersions: versionsKept }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
    const objects = `${this.bucket.arn}/*`;
    // The forms a writer may name the state key by: the backend sends `state.kmsKeyArn` or the alias name
    // (stacks/backend.ts). AWS's examples compare this condition key with the key ARN; listing the three
    // forms of this one key keeps the deny right whichever form reaches the condition.
    const stateKey = [this.kmsKey.arn, stateKeyAlias(props.bucketName), alias.arn];
    this.policy.addStatements(...denyOtherEncryption(objects, stateKey), denyOtherReaders(objects, props.readers, this.accountId));
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

const EVERYONE = [{ type: "AWS" as const, identifiers: ["*"] }];
const SSE = "s3:x-amz-server-side-encryption";
const SSE_KEY = "s3:x-amz-server-side-encryption-aws-kms-key-id";

/**
 * Writes must land under the state key. A request without encryption headers gets the bucket default
 * (the state key); explicit headers must say aws:kms and name the state key. "Deny when absent" is avoided
 * on purpose: multipart UploadPart requests carry no encryption headers (the upload's are set at
 * CreateMultipartUpload; boto/botocore#471 shows such a deny failing UploadPart), and Terraform's
 * uploader goes multipart above 5 MiB.
 */
function denyOtherEncryption(objects: string, stateKey: readonly string[]): PolicyStatement[] {
  const deny = (sid: string, conditions: PolicyStatement["conditions"]): PolicyStatement => ({
    sid,
    effect: "Deny",
    actions: ["s3:PutObject"],
    resources: [objects],
    principals: EVERYONE,
    conditions,
  });
  return [
    // AES256 (what `encrypt = true` without kms_key_id sends) or DSSE: not the state key.
    deny("DenyStateWritesWithoutKms", [
      { test: "Null", variable: SSE, values: ["false"] },
      { test: "StringNotEquals", variable: SSE, values: ["aws:kms"] },
    ]),
    deny("DenyStateWritesWithAnotherKey", [
      { test: "Null", variable: SSE_KEY, values: ["false"] },
      { test: "StringNotEquals", variable: SSE_KEY, values: stateKey },
    ]),
    // aws:kms without a key id means the AWS managed key aws/s3, not the bucket default.
    deny("DenyStateWritesWithTheManagedKey", [
      { test: "StringEquals", variable: SSE, values: ["aws:kms"] },
      { test: "Null", variable: SSE_KEY, values: ["true"] },
    ]),
  ];
}

/**
 * Object reads (current and old versions) only for the state readers. `aws:PrincipalArn` is the role's
 * ARN (with its path) for an assumed-role session, so a role ARN matches every session of that role.
 */
function denyOtherReaders(objects: string, readers: StateReaders, accountId: string): PolicyStatement {
  const allowed = [...readers.roleNames.map((name) => `arn:aws:iam::${accountId}:role/${name}`), ...readers.adminRoleArns];
  const onlyProjectRoles =
    readers.adminRoleArns.length > 0
      ? []
      : [{ test: "ArnLike", variable: "aws:PrincipalArn", values: [`arn:aws:iam::${accountId}:role/${readers.projectRolePrefix}*`] }];
  return {
    sid: "DenyStateReadsToOthers",
    effect: "Deny",
    actions: ["s3:GetObject", "s3:GetObjectVersion"],
    resources: [objects],
    principals: EVERYONE,
    conditions: [...onlyProjectRoles, { test: "ArnNotEquals", variable: "aws:PrincipalArn", values: allowed }],
  };
}
