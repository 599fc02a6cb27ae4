/**
 * The model's inputs, from the stack descriptors synth writes (`bluegreen.json`, synthesized/descriptor.ts):
 * the pipeline's stages and, per deploy action, the environment's settings as its deploy strategy describes them
 * (CodeDeploy's deployment group, or ECS's own blue/green, linear or canary deployment). Nothing is read from the
 * Terraform JSON; a missing value takes AWS's default and says so in the notes.
 */
import { EnvironmentDescriptor, PipelineActionDescriptor, StackDescriptor, StrategyDescriptor } from "../synthesized/descriptor";
import { AWS_TARGET_GROUP_DEFAULTS } from "./baseline";
import { EnvironmentSettings, PipelineAction, PipelineSettings, PipelineStage, ReadyOption, TargetGroupTimings } from "./model";

/** A pipeline of a stack, with the environments its deploy actions reach. */
export interface ExtractedPipeline {
  readonly name: string;
  readonly settings: PipelineSettings;
}

/** One pipeline per stack descriptor. */
export function extractPipelines(descriptors: readonly StackDescriptor[]): ExtractedPipeline[] {
  return descriptors.map((descriptor) => {
    const notes: string[] = [];
    const stages = descriptor.pipeline.stages.map(
      (stage): PipelineStage => ({ name: stage.name, actions: stage.actions.map((action) => pipelineAction(descriptor, action, notes)) }),
    );
    return { name: descriptor.pipeline.name, settings: { stages, notes } };
  });
}

/** A deploy action is the one the descriptor ties to an environment: CodeDeployToECS, or the ECS release project (CodeBuild). */
function pipelineAction(descriptor: StackDescriptor, action: PipelineActionDescriptor, notes: string[]): PipelineAction {
  const { name, runOrder } = action;
  if (action.category === "Source") return { kind: "source", name, runOrder };
  if (action.category === "Approval") return { kind: "approval", name, runOrder };
  const env = descriptor.environments.find((e) => e.name === action.environment && e.deployAction === name);
  if (env) return { kind: "deploy", name, runOrder, environment: environmentSettings(env, notes) };
  if (action.category === "Build" && action.provider === "CodeBuild") return { kind: "build", name, runOrder };
  if (action.category === "Deploy") notes.push(`deploy action ${name}: no environment of stack ${descriptor.stackId} is deployed by it`);
  return { kind: "other", name, runOrder, provider: action.provider };
}

/** The settings of one environment, from its descriptor and its strategy's. */
export function environmentSettings(env: EnvironmentDescriptor, notes: string[]): EnvironmentSettings {
  const strategy = strategySettings(env.strategy, env);
  return {
    ...strategy,
    targetGroup: targetGroupTimings(env, strategy.name, notes),
    healthCheckGracePeriodSeconds: env.healthCheckGracePeriodSeconds,
    desiredCount: env.desiredCount,
    hasTestListener: env.testListenerPort > 0,
    hooks: env.strategy.hooks.map((hook) => hook.functionName),
    alarmCount: env.alarms.length,
    fastestAlarmSeconds: env.alarms.length > 0 ? Math.min(...env.alarms.map((alarm) => alarm.secondsToAlarm)) : undefined,
  };
}

type StrategySettings = Pick<EnvironmentSettings, "name" | "strategy" | "deploymentConfigName" | "routing" | "readyOption" | "terminationWaitMinutes" | "autoRollbackEvents">;

/** What varies with the strategy: who shifts traffic and how, the wait after it, what rolls back. */
function strategySettings(strategy: StrategyDescriptor, env: EnvironmentDescriptor): StrategySettings {
  switch (strategy.kind) {
    case "codedeploy":
      return {
        name: strategy.deploymentGroupName,
        strategy: "codedeploy",
        deploymentConfigName: strategy.deploymentConfigName,
        routing: strategy.traffic,
        readyOption: strategy.readyOption,
        terminationWaitMinutes: strategy.terminationWaitMinutes,
        autoRollbackEvents: strategy.autoRollbackEvents,
      };
    case "ecs": {
      // ECS-native deployments have no ready option: production traffic moves once the hooks passed.
      const readyOption: ReadyOption = { actionOnTimeout: "CONTINUE_DEPLOYMENT", waitMinutes: 0 };
      return {
        name: env.serviceName,
        strategy: "ecs",
        deploymentConfigName: `ECS ${strategy.ecsStrategy}`,
        routing: strategy.traffic,
        readyOption,
        // Both revisions run for the bake time after the full shift; the alarms can still roll back.
        terminationWaitMinutes: strategy.bakeTimeMinutes,
        // ECS rolls back on the circuit breaker (failed tasks or hooks) and on the alarms: the same safety events.
        autoRollbackEvents: [
          ...(strategy.autoRollback.circuitBreaker ? ["DEPLOYMENT_FAILURE"] : []),
          ...(strategy.autoRollback.alarms && env.alarms.length > 0 ? ["DEPLOYMENT_STOP_ON_ALARM"] : []),
        ],
      };
    }
  }
}

/** The slower of the pair for each timing: the new revision may register with either group. */
function targetGroupTimings(env: EnvironmentDescriptor, name: string, notes: string[]): TargetGroupTimings {
  if (env.targetGroups.length === 0) {
    notes.push(`${name}: no target groups in the descriptor; AWS defaults assumed`);
    return AWS_TARGET_GROUP_DEFAULTS;
  }
  const keys = Object.keys(AWS_TARGET_GROUP_DEFAULTS) as (keyof TargetGroupTimings)[];
  return Object.fromEntries(keys.map((k) => [k, Math.max(...env.targetGroups.map((tg) => tg[k]))])) as unknown as TargetGroupTimings;
}
