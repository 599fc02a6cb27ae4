import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Construct } from "constructs";
import { shortName } from "../core/naming";
import { PolicyCondition, PolicyDocument, PolicyStatement } from "../identity/iam";
import type { NetworkLogDestination } from "../runtime/network-logs";
import { applyBucketBaseline } from "../state/bucket-baseline";

/** ELB's log delivery service principal (the form AWS documents for Regions opened since August 2022, and accepted in the older ones). */
export const ELB_LOG_DELIVERY_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com";
/** The principal AWS services that deliver "vended" logs to S3 write as (VPC flow logs among them). */
export const VENDED_LOG_DELIVERY_PRINCIPAL = "delivery.logs.amazonaws.com";

/**
 * The Elastic Load Balancing account of each Region opened before August 2022: AWS documents bucket policies that
 * name it (`arn:aws:iam::<id>:root`) for these Regions, the service principal for the newer ones
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html, "Attach a policy
 * to your S3 bucket"). Both are granted where the Region has such an account.
 */
export const ELB_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "ap-east-1": "754344448648",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-south-1": "718504428378",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
};

/** `bucket_prefix` is limited to 37 characters (Terraform appends a 26-character unique suffix). */
const BUCKET_PREFIX_MAX_LENGTH = 37;

export interface LogArchiveProps {
  /** Prefix of the bucket name, e.g. `demo-prod` (a unique suffix is appended: S3 names are global). */
  readonly name: string;
  /** The region of the bucket, the load balancers and the VPC (flow logs are delivered by the region's log service). */
  readonly region: string;
  /** The account that owns the load balancers and VPCs whose logs land here (a token taken from any ARN of the stack). */
  readonly accountId: string;
  /**
   * Days access logs and flow logs are kept.
   * @default 90
   */
  readonly retentionDays?: number;
}

/**
 * The environment's network logs: one S3 bucket for the ALB access logs (under `alb/`) and the VPC flow logs (under
 * `vpc-flow-logs/`), with the project's bucket baseline, except encryption: SSE-S3, the only one ALB access logs
 * accept. Its policy lets each delivery service write only below its own prefix and the account's `AWSLogs/<account>/`,
 * which is where both services write the logs of this account's resources.
 */
export class LogArchive extends Construct implements NetworkLogDestination {
  public readonly bucket: S3Bucket;
  public readonly policy: PolicyDocument;
  /** The bucket policy: a load balancer checks it when access logging is turned on, so it must exist first. */
  public readonly bucketPolicy: S3BucketPolicy;
  public readonly bucketName: string;
  public readonly arn: string;
  /** The key prefix of the ALB access logs (the `access_logs.prefix` of every load balancer that writes here). */
  public readonly albPrefix = "alb";
  /** The S3 destination of VPC flow logs (`log_destination` of an `aws_flow_log`). */
  public readonly flowLogsDestination: string;
  public readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    this.retentionDays = props.retentionDays ?? 90;
    if (!Number.isInteger(this.retentionDays) || this.retentionDays < 1 || this.retentionDays > 3650) {
      throw new Error(`LogArchive ${props.name}: retentionDays must be an integer from 1 to 3650 (got ${this.retentionDays})`);
    }
    this.bucket = new S3Bucket(this, "Bucket", {
      bucketPrefix: `${shortName(props.name, "logs", BUCKET_PREFIX_MAX_LENGTH - 1)}-`,
      // Never empty a log bucket on destroy: the logs are the record of who reached what.
      forceDestroy: false,
    });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.flowLogsDestination = `${this.arn}/vpc-flow-logs`;
    const baseline = applyBucketBaseline(this, {
      bucket: this.bucket,
      lifecycleRules: [
        {
          id: "expire-logs",
          status: "Enabled",
          filter: [{}],
          expiration: [{ days: this.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
    this.policy = baseline.policy;
    this.bucketPolicy = baseline.bucketPolicy;
    this.policy.addStatements(...logDeliveryStatements(this.arn, props.region, props.accountId, this.albPrefix));
  }
}

/**
 * The delivery statements. ELB writes `<prefix>/AWSLogs/<owner account>/...` and AWS documents no source condition
 * for its principals: the object path, which names the load balancer's account, is what keeps another account's load
 * balancers out. VPC flow logs go through the log delivery service, which sends `aws:SourceAccount` and
 * `aws:SourceArn` (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html).
 */
export function logDeliveryStatements(bucketArn: string, region: string, account: string, albPrefix: string): PolicyStatement[] {
  const albObjects = `${bucketArn}/${albPrefix}/AWSLogs/${account}/*`;
  const elbAccount = ELB_ACCOUNT_BY_REGION[region];
  const source: PolicyCondition[] = [
    { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
    { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:logs:${region}:${account}:*`] },
  ];
  return [
    {
      sid: "AlbAccessLogs",
      actions: ["s3:PutObject"],
      resources: [albObjects],
      principals: [{ type: "Service", identifiers: [ELB_LOG_DELIVERY_PRINCIPAL] }],
    },
    ...(elbAccount
      ? [{ sid: "AlbAccessLogsRegionAccount", actions: ["s3:PutObject"], resources: [albObjects], principals: [{ type: "AWS" as const, identifiers: [`arn:aws:iam::${elbAccount}:root`] }] }]
      : []),
    {
      sid: "FlowLogsWrite",
      actions: ["s3:PutObject"],
      resources: [`${bucketArn}/vpc-flow-logs/AWSLogs/${account}/*`],
      principals: [{ type: "Service", identifiers: [VENDED_LOG_DELIVERY_PRINCIPAL] }],
      conditions: [...source, { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] }],
    },
    {
      sid: "FlowLogsAclCheck",
      actions: ["s3:GetBucketAcl", "s3:ListBucket"],
      resources: [bucketArn],
      principals: [{ type: "Service", identifiers: [VENDED_LOG_DELIVERY_PRINCIPAL] }],
      conditions: source,
    },
  ];
}
