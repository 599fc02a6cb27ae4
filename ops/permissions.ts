/**
 * The IAM actions each command calls (sts:GetCallerIdentity aside: every command calls it and it needs no
 * permission): what every environment needs, plus what its deploy strategy calls (CodeDeploy's deployments, or ECS's
 * service deployments). `COMMAND_PERMISSIONS` is the union, the README's permission table; __tests__/ops checks that
 * table, and that the actions each command calls under test for a strategy are exactly `permissionsFor`.
 */
import { StrategyDescriptor } from "../synthesized/descriptor";

type Kind = StrategyDescriptor["kind"];

const COMMON = {
  // The two load-balancer reads: each environment's URL (ops/url.ts).
  status: [
    "codepipeline:GetPipelineState",
    "ecr:DescribeImages",
    "ecs:DescribeServices",
    "ecs:DescribeTaskDefinition",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancers",
  ],
  wait: ["cloudwatch:DescribeAlarms"],
  release: ["codepipeline:StartPipelineExecution"],
  approve: ["codepipeline:GetPipelineState", "codepipeline:PutApprovalResult"],
  reject: ["codepipeline:GetPipelineState", "codepipeline:PutApprovalResult"],
  stop: [],
  rollback: ["cloudwatch:DescribeAlarms", "ecs:DescribeServices"],
  verify: [
    "ecr:DescribeImages",
    "ecs:DescribeServices",
    "ecs:DescribeTaskDefinition",
    "elasticloadbalancing:DescribeTargetGroups",
    "iam:GetRole",
    "logs:DescribeLogGroups",
  ],
} as const;

export type CommandName = keyof typeof COMMON;

const CODEDEPLOY_READ = ["codedeploy:BatchGetDeploymentTargets", "codedeploy:GetDeployment", "codedeploy:ListDeploymentTargets", "codedeploy:ListDeployments"];

/** What each strategy adds, per command. */
const BY_STRATEGY: { readonly [K in Kind]: { readonly [C in CommandName]: readonly string[] } } = {
  codedeploy: {
    status: [...CODEDEPLOY_READ, "codedeploy:GetDeploymentGroup", "elasticloadbalancing:DescribeListeners"],
    wait: CODEDEPLOY_READ,
    release: [],
    approve: [],
    reject: [],
    stop: ["codedeploy:ListDeployments", "codedeploy:StopDeployment"],
    rollback: [...CODEDEPLOY_READ, "codedeploy:CreateDeployment", "codedeploy:GetApplicationRevision", "codedeploy:GetDeploymentConfig"],
    verify: ["codedeploy:GetDeploymentGroup", "elasticloadbalancing:DescribeListeners"],
  },
  ecs: {
    status: ["ecs:DescribeServiceDeployments", "ecs:ListServiceDeployments", "elasticloadbalancing:DescribeRules"],
    wait: ["ecs:DescribeServiceDeployments", "ecs:ListServiceDeployments"],
    release: [],
    approve: [],
    reject: [],
    // ECS stops a service deployment only with rollback (stopType ROLLBACK).
    stop: ["ecs:ListServiceDeployments", "ecs:StopServiceDeployment"],
    // One Write per rollback: StopServiceDeployment when a deployment is in flight, else UpdateService.
    rollback: ["ecs:DescribeServiceDeployments", "ecs:DescribeServiceRevisions", "ecs:ListServiceDeployments", "ecs:StopServiceDeployment", "ecs:UpdateService"],
    verify: [],
  },
};

const sortedUnion = (...lists: (readonly string[])[]): string[] => [...new Set(lists.flat())].sort();

/** The actions a command calls for environments of one strategy. */
export function permissionsFor(command: CommandName, kind: Kind): string[] {
  return sortedUnion(COMMON[command], BY_STRATEGY[kind][command]);
}

/** Every action a command may call, whatever the environments' strategies (the README's table). */
export const COMMAND_PERMISSIONS: { readonly [C in CommandName]: readonly string[] } = Object.fromEntries(
  (Object.keys(COMMON) as CommandName[]).map((command) => [command, sortedUnion(...(Object.keys(BY_STRATEGY) as Kind[]).map((kind) => permissionsFor(command, kind)))]),
) as unknown as { readonly [C in CommandName]: readonly string[] };

/**
 * Actions AWS authorizes on the caller's behalf inside another call, which the SDK therefore never sends: CodeDeploy's
 * CreateDeployment reads the deployment group's deployment config (`deploymentconfig:CodeDeployDefault.ECS...` or the
 * project's own) with the caller's `codedeploy:GetDeploymentConfig`, and fails without it. In the table, left out of
 * the comparison with the calls recorded under test.
 */
export const IMPLIED_PERMISSIONS: readonly string[] = ["codedeploy:GetDeploymentConfig"];

/** Called by every command; AWS requires no permission for it. */
export const ALWAYS_ALLOWED = ["sts:GetCallerIdentity"];
