/**
 * What Terraform's refresh reads, per resource type of the application stacks (the `<project>` stacks and the fleet's
 * `<project>-platform`, the stacks the GitHub roles plan and deploy), and what the operations command reads: the data
 * the workflows' read policy is built from (read-policy.ts), instead of AWS's ReadOnlyAccess, which also reads data
 * (objects, parameters, tables, logs, code). Each entry names the AWS provider source whose Read function makes the
 * calls (hashicorp/terraform-provider-aws, `internal/service/<service>/<file>.go`, the version the project pins: AWS
 * provider 6.25, offline tests with 5.100); tags come from the same Describe call or from the service's
 * ListTagsForResource (the provider's transparent tagging). The refresh-read test checks that every resource type of
 * the synthesized examples is listed here and that both roles may make each call on a resource of the project, and
 * the IAM test that every action exists in AWS's catalogue.
 */

export interface RefreshRead {
  /** The IAM actions of the resource's Read (and of the provider's tag read). */
  readonly actions: readonly string[];
  /** The provider file and function the actions come from. */
  readonly source: string;
}

export const REFRESH_READS: Readonly<Record<string, RefreshRead>> = {
  aws_cloudwatch_event_rule: { actions: ["events:DescribeRule", "events:ListTagsForResource"], source: "events/rule.go resourceRuleRead" },
  aws_cloudwatch_event_target: { actions: ["events:ListTargetsByRule"], source: "events/target.go resourceTargetRead (findTargetByThreePartKey)" },
  aws_cloudwatch_log_group: { actions: ["logs:DescribeLogGroups", "logs:ListTagsForResource"], source: "logs/group.go resourceGroupRead" },
  aws_cloudwatch_metric_alarm: { actions: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"], source: "cloudwatch/metric_alarm.go resourceMetricAlarmRead" },
  aws_codebuild_project: { actions: ["codebuild:BatchGetProjects"], source: "codebuild/project.go resourceProjectRead (tags in the response)" },
  aws_codedeploy_app: { actions: ["codedeploy:GetApplication", "codedeploy:ListTagsForResource"], source: "deploy/app.go resourceAppRead" },
  aws_codedeploy_deployment_config: { actions: ["codedeploy:GetDeploymentConfig"], source: "deploy/deployment_config.go resourceDeploymentConfigRead" },
  aws_codedeploy_deployment_group: {
    actions: ["codedeploy:GetDeploymentGroup", "codedeploy:ListTagsForResource"],
    source: "deploy/deployment_group.go resourceDeploymentGroupRead",
  },
  aws_codepipeline: { actions: ["codepipeline:GetPipeline", "codepipeline:ListTagsForResource"], source: "codepipeline/codepipeline.go resourcePipelineRead" },
  aws_codestarconnections_connection: {
    actions: ["codestar-connections:GetConnection", "codestar-connections:ListTagsForResource"],
    source: "codestarconnections/connection.go resourceConnectionRead",
  },
  aws_codestarnotifications_notification_rule: {
    actions: ["codestar-notifications:DescribeNotificationRule", "codestar-notifications:ListTagsForResource"],
    source: "codestarnotifications/notification_rule.go resourceNotificationRuleRead",
  },
  aws_ecr_lifecycle_policy: { actions: ["ecr:GetLifecyclePolicy"], source: "ecr/lifecycle_policy.go resourceLifecyclePolicyRead" },
  aws_ecr_repository: { actions: ["ecr:DescribeRepositories", "ecr:ListTagsForResource"], source: "ecr/repository.go resourceRepositoryRead" },
  aws_ecs_cluster: { actions: ["ecs:DescribeClusters"], source: "ecs/cluster.go resourceClusterRead (include TAGS)" },
  aws_ecs_service: { actions: ["ecs:DescribeServices"], source: "ecs/service.go resourceServiceRead (include TAGS)" },
  aws_ecs_task_definition: { actions: ["ecs:DescribeTaskDefinition"], source: "ecs/task_definition.go resourceTaskDefinitionRead (include TAGS)" },
  aws_eip: { actions: ["ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute"], source: "ec2/vpc_eip.go resourceEIPRead (the PTR record: DescribeAddressesAttribute)" },
  aws_flow_log: { actions: ["ec2:DescribeFlowLogs"], source: "ec2/vpc_flow_log.go resourceLogFlowRead" },
  aws_iam_role: {
    actions: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
    source: "iam/role.go resourceRoleRead (inline and managed policy names for inline_policy and managed_policy_arns)",
  },
  aws_iam_role_policy: { actions: ["iam:GetRolePolicy"], source: "iam/role_policy.go resourceRolePolicyRead" },
  aws_iam_role_policy_attachment: { actions: ["iam:ListAttachedRolePolicies"], source: "iam/role_policy_attachment.go resourceRolePolicyAttachmentRead" },
  aws_internet_gateway: { actions: ["ec2:DescribeInternetGateways"], source: "ec2/vpc_internet_gateway.go resourceInternetGatewayRead" },
  aws_kms_alias: { actions: ["kms:ListAliases"], source: "kms/alias.go resourceAliasRead (FindAliasByName lists aliases)" },
  aws_kms_key: {
    actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
    source: "kms/key.go resourceKeyRead (findKeyInfo)",
  },
  aws_lambda_function: {
    actions: ["lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:GetRuntimeManagementConfig", "lambda:ListVersionsByFunction"],
    source: "lambda/function.go resourceFunctionRead",
  },
  aws_lambda_permission: { actions: ["lambda:GetPolicy"], source: "lambda/permission.go resourcePermissionRead" },
  aws_lb: {
    actions: ["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeTags"],
    source: "elbv2/load_balancer.go resourceLoadBalancerRead",
  },
  aws_lb_listener: {
    actions: ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeTags"],
    source: "elbv2/listener.go resourceListenerRead",
  },
  aws_lb_listener_rule: { actions: ["elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags"], source: "elbv2/listener_rule.go resourceListenerRuleRead" },
  aws_lb_target_group: {
    actions: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTags"],
    source: "elbv2/target_group.go resourceTargetGroupRead",
  },
  aws_nat_gateway: { actions: ["ec2:DescribeNatGateways"], source: "ec2/vpc_nat_gateway.go resourceNATGatewayRead" },
  aws_route: { actions: ["ec2:DescribeRouteTables"], source: "ec2/vpc_route.go resourceRouteRead" },
  aws_route_table: { actions: ["ec2:DescribeRouteTables"], source: "ec2/vpc_route_table.go resourceRouteTableRead" },
  aws_route_table_association: { actions: ["ec2:DescribeRouteTables"], source: "ec2/vpc_route_table_association.go resourceRouteTableAssociationRead" },
  aws_s3_bucket: {
    actions: [
      "s3:ListBucket", "s3:GetBucketPolicy", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketWebsite", "s3:GetBucketVersioning",
      "s3:GetAccelerateConfiguration", "s3:GetBucketRequestPayment", "s3:GetBucketLogging", "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration", "s3:GetEncryptionConfiguration", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketTagging",
    ],
    source: "s3/bucket.go resourceBucketRead (HeadBucket is s3:ListBucket; one Get per legacy inline block)",
  },
  aws_s3_bucket_lifecycle_configuration: { actions: ["s3:GetLifecycleConfiguration"], source: "s3/bucket_lifecycle_configuration.go" },
  aws_s3_bucket_ownership_controls: { actions: ["s3:GetBucketOwnershipControls"], source: "s3/bucket_ownership_controls.go" },
  aws_s3_bucket_policy: { actions: ["s3:GetBucketPolicy"], source: "s3/bucket_policy.go resourceBucketPolicyRead" },
  aws_s3_bucket_public_access_block: { actions: ["s3:GetBucketPublicAccessBlock"], source: "s3/bucket_public_access_block.go" },
  aws_s3_bucket_server_side_encryption_configuration: { actions: ["s3:GetEncryptionConfiguration"], source: "s3/bucket_server_side_encryption_configuration.go" },
  aws_s3_bucket_versioning: { actions: ["s3:GetBucketVersioning"], source: "s3/bucket_versioning.go" },
  aws_security_group: { actions: ["ec2:DescribeSecurityGroups"], source: "ec2/vpc_security_group.go resourceSecurityGroupRead" },
  aws_sns_topic: { actions: ["sns:GetTopicAttributes", "sns:ListTagsForResource"], source: "sns/topic.go resourceTopicRead" },
  aws_sns_topic_policy: { actions: ["sns:GetTopicAttributes"], source: "sns/topic_policy.go resourceTopicPolicyRead" },
  aws_sns_topic_subscription: { actions: ["sns:GetSubscriptionAttributes"], source: "sns/topic_subscription.go resourceTopicSubscriptionRead" },
  aws_subnet: { actions: ["ec2:DescribeSubnets"], source: "ec2/vpc_subnet.go resourceSubnetRead" },
  aws_vpc: {
    actions: ["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups"],
    source: "ec2/vpc_.go resourceVPCRead (the default network ACL, main route table and default security group ids)",
  },
  aws_vpc_security_group_egress_rule: { actions: ["ec2:DescribeSecurityGroupRules"], source: "ec2/vpc_security_group_egress_rule.go (Read of securityGroupRuleResource)" },
  aws_vpc_security_group_ingress_rule: { actions: ["ec2:DescribeSecurityGroupRules"], source: "ec2/vpc_security_group_ingress_rule.go (Read of securityGroupRuleResource)" },
};

/**
 * What the operations command's read-only commands (status, wait, verify) call: the same list as ops/permissions.ts
 * (a test holds them equal; constructs do not import the operations command).
 */
export const OPERATIONS_READS = [
  "cloudwatch:DescribeAlarms", "codedeploy:BatchGetDeploymentTargets", "codedeploy:GetDeployment", "codedeploy:GetDeploymentGroup",
  "codedeploy:ListDeploymentTargets", "codedeploy:ListDeployments", "codepipeline:GetPipelineState", "ecr:DescribeImages", "ecs:DescribeServiceDeployments",
  "ecs:DescribeServices", "ecs:DescribeTaskDefinition", "ecs:ListServiceDeployments", "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups", "iam:GetRole",
  "logs:DescribeLogGroups",
] as const;

/**
 * Reads the Service Authorization Reference lists without a resource type: only `*` grants them (a test checks the
 * list against AWS's catalogue, both ways). What they show is metadata of the region: network layout, load balancers,
 * alarm and log group names, alias names, task definition settings.
 */
export const READS_WITHOUT_RESOURCE_TYPE = [
  "codedeploy:BatchGetDeploymentTargets", "codedeploy:ListDeploymentTargets", "ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute", "ec2:DescribeFlowLogs",
  "ec2:DescribeInternetGateways", "ec2:DescribeNatGateways", "ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroupRules",
  "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ecs:DescribeTaskDefinition",
  "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancerAttributes",
  "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags",
  "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetGroups", "kms:ListAliases", "logs:DescribeLogGroups",
] as const;

/** Every read the workflows' roles need: refresh of every resource type, and the operations command's reads. */
export function allReads(): string[] {
  return [...new Set([...Object.values(REFRESH_READS).flatMap((read) => read.actions), ...OPERATIONS_READS])].sort();
}
