import { evaluatePolicyPack } from "../../../constructs/policy";
import { LogArchive, LogArchiveProps } from "../../../constructs/environment/log-archive";
import { BlueGreenLoadBalancer } from "../../../constructs/runtime/blue-green-load-balancer";
import { Network } from "../../../constructs/runtime/network";
import { addressOf, awsTestStack, policyStatements, resourceById, synthJson, testNetwork } from "../../helpers/runtime";

const ACCOUNT = "123456789012";

function archive(props: Partial<LogArchiveProps> = {}) {
  const stack = awsTestStack();
  const logs = new LogArchive(stack, "LogArchive", { name: "demo-prod", region: "eu-west-1", accountId: ACCOUNT, ...props });
  const json = synthJson(stack);
  return { stack, logs, json, bucket: `\${${addressOf(json, "aws_s3_bucket", "Bucket")}.arn}` };
}

describe("LogArchive", () => {
  test("keeps logs in a bucket of the project's names with S3-managed encryption, the only one ALB access logs accept", () => {
    const { json } = archive();
    expect(resourceById(json, "aws_s3_bucket", "Bucket")).toMatchObject({ bucket_prefix: "demo-prod-logs-", force_destroy: false });
    expect(resourceById(json, "aws_s3_bucket_server_side_encryption_configuration", "Encryption")).toMatchObject({
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
  });

  test("expires logs after 90 days by default, or the retention given", () => {
    expect(resourceById(archive().json, "aws_s3_bucket_lifecycle_configuration", "Lifecycle")).toMatchObject({
      rule: [{ id: "expire-logs", status: "Enabled", expiration: [{ days: 90 }], noncurrent_version_expiration: [{ noncurrent_days: 1 }] }],
    });
    expect(resourceById(archive({ retentionDays: 400 }).json, "aws_s3_bucket_lifecycle_configuration", "Lifecycle")).toMatchObject({
      rule: [{ expiration: [{ days: 400 }] }],
    });
  });

  test("fails on a retention outside 1 to 3650 days", () => {
    expect(() => archive({ retentionDays: 0 })).toThrow("LogArchive demo-prod: retentionDays must be an integer from 1 to 3650 (got 0)");
  });

  test("lets ELB write access logs under alb/AWSLogs/<account>/ only, as its service principal and, in a Region opened before August 2022, its Region account", () => {
    const { json, bucket } = archive();
    const statements = policyStatements(json, "Policy");
    expect(statements.filter((s) => String(s.sid).startsWith("AlbAccessLogs"))).toEqual([
      {
        sid: "AlbAccessLogs",
        effect: "Allow",
        actions: ["s3:PutObject"],
        resources: [`${bucket}/alb/AWSLogs/${ACCOUNT}/*`],
        principals: [{ type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] }],
      },
      {
        sid: "AlbAccessLogsRegionAccount",
        effect: "Allow",
        actions: ["s3:PutObject"],
        resources: [`${bucket}/alb/AWSLogs/${ACCOUNT}/*`],
        principals: [{ type: "AWS", identifiers: ["arn:aws:iam::156460612806:root"] }],
      },
    ]);
  });

  test("names no Region account where AWS documents the service principal only", () => {
    const { json } = archive({ region: "me-central-1" });
    expect(policyStatements(json, "Policy").map((s) => s.sid)).not.toContain("AlbAccessLogsRegionAccount");
  });

  test("lets the log delivery service write flow logs for this account's log sources only (aws:SourceAccount, aws:SourceArn)", () => {
    const { json, bucket } = archive();
    const source = [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:logs:eu-west-1:${ACCOUNT}:*`] },
    ];
    const statements = policyStatements(json, "Policy");
    expect(statements.filter((s) => String(s.sid).startsWith("FlowLogs"))).toEqual([
      {
        sid: "FlowLogsWrite",
        effect: "Allow",
        actions: ["s3:PutObject"],
        resources: [`${bucket}/vpc-flow-logs/AWSLogs/${ACCOUNT}/*`],
        principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
        condition: [...source, { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] }],
      },
      {
        sid: "FlowLogsAclCheck",
        effect: "Allow",
        actions: ["s3:GetBucketAcl", "s3:ListBucket"],
        resources: [bucket],
        principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
        condition: source,
      },
    ]);
    // The baseline's TLS denies stay first.
    expect(statements.slice(0, 2).map((s) => s.sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls"]);
  });

  test("passes the policy pack", () => {
    const { stack } = archive();
    expect(evaluatePolicyPack(stack).violations.filter((v) => v.ruleId.startsWith("BG-S3"))).toEqual([]);
  });
});

describe("Network flow logs", () => {
  test("a new VPC sends every flow to the archive's vpc-flow-logs/ folder, after the bucket policy exists", () => {
    const stack = awsTestStack();
    const logs = new LogArchive(stack, "LogArchive", { name: "demo-prod", region: "eu-west-1", accountId: ACCOUNT });
    new Network(stack, "Network", { name: "demo-prod", newVpc: { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], natGateways: "single" }, flowLogs: logs });
    const json = synthJson(stack);
    const bucket = `\${${addressOf(json, "aws_s3_bucket", "Bucket")}.arn}`;
    expect(resourceById(json, "aws_flow_log", "FlowLog")).toMatchObject({
      vpc_id: `\${${addressOf(json, "aws_vpc", "Vpc")}.id}`,
      traffic_type: "ALL",
      log_destination_type: "s3",
      log_destination: `${bucket}/vpc-flow-logs`,
      max_aggregation_interval: 600,
      depends_on: [addressOf(json, "aws_s3_bucket_policy", "BucketPolicy")],
    });
  });

  test("an existing VPC gets no flow log (it is its owner's)", () => {
    const stack = awsTestStack();
    const logs = new LogArchive(stack, "LogArchive", { name: "demo-prod", region: "eu-west-1", accountId: ACCOUNT });
    new Network(stack, "Network", {
      name: "demo-prod",
      existing: { vpcId: "vpc-12345678", publicSubnetIds: ["subnet-11111111", "subnet-22222222"], privateSubnetIds: ["subnet-33333333"] },
      flowLogs: logs,
    });
    expect(synthJson(stack).resource?.aws_flow_log).toBeUndefined();
  });
});

describe("ALB access logs", () => {
  test("an ALB with an archive of its own stack logs to alb/ once the bucket policy exists", () => {
    const stack = awsTestStack();
    const logs = new LogArchive(stack, "LogArchive", { name: "demo-prod", region: "eu-west-1", accountId: ACCOUNT });
    new BlueGreenLoadBalancer(stack, "LoadBalancer", { name: "demo-prod", network: testNetwork(stack), containerPort: 8080, healthCheck: { path: "/" }, accessLogs: logs });
    const json = synthJson(stack);
    expect(resourceById(json, "aws_lb", "Alb")).toMatchObject({
      access_logs: { bucket: `\${${addressOf(json, "aws_s3_bucket", "Bucket")}.bucket}`, prefix: "alb", enabled: true },
      depends_on: [addressOf(json, "aws_s3_bucket_policy", "BucketPolicy")],
    });
  });

  test("an ALB without an archive keeps access logs off", () => {
    const stack = awsTestStack();
    new BlueGreenLoadBalancer(stack, "LoadBalancer", { name: "demo-prod", network: testNetwork(stack), containerPort: 8080, healthCheck: { path: "/" } });
    expect(resourceById(synthJson(stack), "aws_lb", "Alb").access_logs).toBeUndefined();
  });
});
