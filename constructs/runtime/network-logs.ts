import { ITerraformDependable } from "cdktf";
import { IConstruct } from "constructs";

/**
 * Where a network's logs go: what the load balancers and the network need of a log archive (environment/log-archive.ts
 * builds one). An interface here, so the runtime names no bucket construct.
 */
export interface NetworkLogDestination {
  /** The bucket's name (`access_logs.bucket` of a load balancer). */
  readonly bucketName: string;
  /** The key prefix of ALB access logs (`access_logs.prefix`). */
  readonly albPrefix: string;
  /** The S3 destination of VPC flow logs (`log_destination` of an `aws_flow_log`). */
  readonly flowLogsDestination: string;
  /** What a writer that checks the bucket policy at create waits for. */
  readonly bucketPolicy: ITerraformDependable & IConstruct;
}
