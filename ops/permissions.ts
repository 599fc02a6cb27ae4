/**
 * The IAM actions each command calls (sts:GetCallerIdentity aside: every command calls it and it needs no
 * permission): what every environment needs, plus what its deploy strategy calls (CodeDeploy's deployments, or ECS's
 * service deployments). `COMMAND_PERMISSIONS` is the union, the README's permission table; __tests__/ops checks that
 * table, and that the actions each command calls under test for a strategy are exactly `permissionsFor`.
 */
import { StrategyDescriptor } from "../constructs/strategies/descriptor";

type Kind = StrategyDescriptor["kind"];

const COMMON = {
  status: ["codepipeline:GetPipelineState", "ecr:DescribeImages", "ecs:DescribeServices", "ecs:DescribeTaskDefinition"],
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
    rollback: [...CODEDEPLOY_READ, "codedeploy:CreateDeployment", "codedeploy:GetApplicationRevision"],
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

/** Called by every command; AWS requires no permission for it. */
export const ALWAYS_ALLOWED = ["sts:GetCallerIdentity"];
