import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { PolicyDocument, PolicyStatement } from "../iam";
import { suppress } from "../policy/suppressions";

/**
 * Services the workloads' roles call (pipeline, build, CodeDeploy, tasks, the smoke-test hook, the
 * ECR push rule). The boundary is a ceiling: each role's own policy still grants only its few actions.
 * A task role that needs another service (DynamoDB, SQS...) needs it added here, by an administrator.
 */
export const WORKLOAD_SERVICES = [
  "cloudwatch", "codebuild", "codeconnections", "codedeploy", "codepipeline", "codestar-connections", "ec2", "ecr", "ecs",
  "elasticloadbalancing", "kms", "lambda", "logs", "s3", "sns", "xray",
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
}

/**
 * The project permissions boundary (AWS's boundary-delegation pattern): every role the application
 * stacks create carries it, and the deploy role can only create roles that do. It allows the workload
 * services and no IAM but passing the project's own roles, so no role the deploy role makes can grant
 * itself, or anything else, more than this.
 */
export class PermissionsBoundary extends Construct {
  public readonly policy: IamPolicy;
  public readonly document: PolicyDocument;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    const statements: PolicyStatement[] = [
      // A ceiling, not a grant: whole services, any resource; each role's own policy narrows both.
      { sid: "WorkloadServices", actions: WORKLOAD_SERVICES.map((service) => `${service}:*`), resources: ["*"] },
      // The pipeline and CodeDeploy pass the task roles to ECS; nothing else is passed, and only the project's roles.
      {
        sid: "PassProjectRoles",
        actions: ["iam:PassRole"],
        resources: [`arn:aws:iam::${props.account}:role/${props.project}-*`],
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
      { id: "BG-IAM-001", reason: "A permissions boundary is a ceiling: whole services here, each role's own policy lists its actions." },
      { id: "BG-IAM-002", reason: "A permissions boundary is a ceiling: each role's own policy names its resources." },
    ]);
  }

  public get arn(): string {
    return this.policy.arn;
  }
}
