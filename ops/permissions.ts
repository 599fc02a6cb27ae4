/**
 * The IAM actions each command calls, per command (sts:GetCallerIdentity aside: every command calls it and it
 * needs no permission). The README's permission table lists exactly these, and __tests__/ops checks both that
 * table and that the actions the commands call under test are these, so neither can drift from the code.
 */
export const COMMAND_PERMISSIONS = {
  status: [
    "codedeploy:BatchGetDeploymentTargets",
    "codedeploy:GetDeployment",
    "codedeploy:GetDeploymentGroup",
    "codedeploy:ListDeploymentTargets",
    "codedeploy:ListDeployments",
    "codepipeline:GetPipelineState",
    "ecr:DescribeImages",
    "ecs:DescribeServices",
    "ecs:DescribeTaskDefinition",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancers",
  ],
  wait: [
    "cloudwatch:DescribeAlarms",
    "codedeploy:BatchGetDeploymentTargets",
    "codedeploy:GetDeployment",
    "codedeploy:ListDeploymentTargets",
    "codedeploy:ListDeployments",
  ],
  release: ["codepipeline:StartPipelineExecution"],
  approve: ["codepipeline:GetPipelineState", "codepipeline:PutApprovalResult"],
  reject: ["codepipeline:GetPipelineState", "codepipeline:PutApprovalResult"],
  stop: ["codedeploy:ListDeployments", "codedeploy:StopDeployment"],
  rollback: [
    "cloudwatch:DescribeAlarms",
    "codedeploy:BatchGetDeploymentTargets",
    "codedeploy:CreateDeployment",
    "codedeploy:GetApplicationRevision",
    "codedeploy:GetDeployment",
    "codedeploy:GetDeploymentConfig",
    "codedeploy:ListDeploymentTargets",
    "codedeploy:ListDeployments",
    "ecs:DescribeServices",
  ],
  verify: [
    "codedeploy:GetDeploymentGroup",
    "ecr:DescribeImages",
    "ecs:DescribeServices",
    "ecs:DescribeTaskDefinition",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeTargetGroups",
    "iam:GetRole",
    "logs:DescribeLogGroups",
  ],
} as const;

export type CommandName = keyof typeof COMMAND_PERMISSIONS;

/**
 * Actions AWS authorizes on the caller's behalf inside another call, which the SDK therefore never sends: CodeDeploy's
 * CreateDeployment reads the deployment group's deployment config (`deploymentconfig:CodeDeployDefault.ECS...` or the
 * project's own) with the caller's `codedeploy:GetDeploymentConfig`, and fails without it. Listed in the table above,
 * left out of the comparison with the calls recorded under test.
 */
export const IMPLIED_PERMISSIONS: { readonly [K in CommandName]?: readonly string[] } = {
  rollback: ["codedeploy:GetDeploymentConfig"],
};

/** Called by every command; AWS requires no permission for it. */
export const ALWAYS_ALLOWED = ["sts:GetCallerIdentity"];
