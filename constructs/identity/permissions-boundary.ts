import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { PolicyDocument, PolicyStatement } from "./iam";
import { NAME_SCOPED_SERVICES, PROJECT_TAG_KEY, projectResourceArns } from "./deploy-policy";
import { suppress } from "../policy/suppressions";

/**
 * Actions the workloads call that the Service Authorization Reference lists without a resource type (or
 * on resources the project does not name): allowed on `*` by the boundary, each role's own policy still
 * grants only what it uses.
 * - ecr:GetAuthorizationToken: the registry login of the build and the task execution roles;
 * - ecs:RegisterTaskDefinition, ecs:DescribeTaskDefinition: the pipeline registers (on `*` in its own policy:
 *   the reference has listed it with and without a task-definition resource), the build reads;
 * - codedeploy:PutLifecycleEventHookExecutionStatus: the smoke-test hook reports;
 * - ec2 network interfaces: Lambda attaches the hook to the VPC with its role (AWSLambdaVPCAccessExecutionRole's set);
 * - ELB and CloudWatch Describe*: what CodeDeploy reads while it shifts traffic (AWSCodeDeployRoleForECSLimited), and
 *   what ECS reads with the infrastructure role of ECS-native blue/green (AmazonECSInfrastructureRolePolicyForLoadBalancers
 *   adds DescribeTargetHealth).
 */
export const WORKLOAD_RESOURCELESS_ACTIONS = [
  "ecr:GetAuthorizationToken", "ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition",
  "codedeploy:PutLifecycleEventHookExecutionStatus", "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
  "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules",
  "elasticloadbalancing:DescribeTargetHealth", "cloudwatch:DescribeAlarms",
] as const;

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
        actions: [...NAME_SCOPED_SERVICES.map((service) => `${service}:*`), "s3:*"],
        resources: [
          ...NAME_SCOPED_SERVICES.flatMap((service) => byName[service]),
          // The pipeline reads the preset deployment configs it deploys with.
          `arn:aws:codedeploy:${region}:${account}:deploymentconfig:CodeDeployDefault.*`,
          `arn:aws:s3:::${project}-*`,
          `arn:aws:s3:::${project}-*/*`,
        ],
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
      // The pipeline, CodeDeploy and the ECS-native release step pass the task roles to ECS tasks; nothing else is
      // passed, and only the project's roles. (UpdateService names no role, so the release passes none to ECS itself.)
      {
        sid: "PassProjectRoles",
        actions: ["iam:PassRole"],
        resources: [`arn:aws:iam::${account}:role/${project}-*`],
        conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
      },
    ];
    this.document = new PolicyDocument(this, "Document", statements);
    this.policy = new IamPolicy(this, "Policy", {
      name: boundaryPolicyName(props.project),
      description: `Permissions boundary of every role the ${props.project} application stacks create`,
      policy: this.document.json,
    });
    suppress(this, [
      { id: "BG-IAM-001", reason: "A permissions boundary is a ceiling: whole services on the project's names, each role's own policy lists its actions." },
      { id: "BG-IAM-002", reason: "Only actions without a resource type (or on AWS-owned resources) are on `*` in the boundary; each role's own policy names its resources." },
    ]);
  }

  public get arn(): string {
    return this.policy.arn;
  }
}
