import { EnvironmentSettings, PipelineSettings, TargetGroupTimings, TrafficRouting } from "./model";

/** The CodeDeploy ECS presets and how they shift traffic (CodeDeploy user guide, "Deployment configurations"). */
export const ECS_PRESETS: Readonly<Record<string, TrafficRouting>> = {
  "CodeDeployDefault.ECSAllAtOnce": { type: "AllAtOnce" },
  "CodeDeployDefault.ECSLinear10PercentEvery1Minutes": { type: "TimeBasedLinear", percentage: 10, intervalMinutes: 1 },
  "CodeDeployDefault.ECSLinear10PercentEvery3Minutes": { type: "TimeBasedLinear", percentage: 10, intervalMinutes: 3 },
  "CodeDeployDefault.ECSCanary10Percent5Minutes": { type: "TimeBasedCanary", percentage: 10, intervalMinutes: 5 },
  "CodeDeployDefault.ECSCanary10Percent15Minutes": { type: "TimeBasedCanary", percentage: 10, intervalMinutes: 15 },
};

/** The routing of a preset name; case-insensitive because AWS's own docs spell `10percent` and `10Percent`. */
export function presetRouting(name: string): TrafficRouting | undefined {
  const key = Object.keys(ECS_PRESETS).find((preset) => preset.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : ECS_PRESETS[key];
}

/** Elastic Load Balancing's target group defaults for `ip` targets (ALB user guide, "Health checks for your target groups"). */
export const AWS_TARGET_GROUP_DEFAULTS: TargetGroupTimings = {
  intervalSeconds: 30,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  timeoutSeconds: 5,
  deregistrationDelaySeconds: 300,
};

/**
 * The AWS workshop "Create CI/CD pipeline", as its console steps leave it: linear 10% every minute, traffic
 * rerouted after a 5-minute wait, old tasks kept 1 hour, default target group timings, no grace period, 3 tasks,
 * a test listener but no hook and no alarms (the console's default rollback on failure only).
 */
export const WORKSHOP_ENVIRONMENT: EnvironmentSettings = {
  name: "workshop",
  deploymentConfigName: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
  routing: ECS_PRESETS["CodeDeployDefault.ECSLinear10PercentEvery1Minutes"],
  targetGroup: AWS_TARGET_GROUP_DEFAULTS,
  healthCheckGracePeriodSeconds: 0,
  desiredCount: 3,
  readyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT", waitMinutes: 5 },
  terminationWaitMinutes: 60,
  hasTestListener: true,
  hooks: [],
  alarmCount: 0,
  autoRollbackEvents: ["DEPLOYMENT_FAILURE"],
};

/** The workshop's pipeline: GitHub source, CodeBuild, ECS blue/green deploy (its optional approval left out). */
export const WORKSHOP_PIPELINE: PipelineSettings = {
  stages: [
    { name: "Source", actions: [{ kind: "source", name: "Source", runOrder: 1 }] },
    { name: "Build", actions: [{ kind: "build", name: "Build", runOrder: 1 }] },
    { name: "Deploy", actions: [{ kind: "deploy", name: "Deploy", runOrder: 1, environment: WORKSHOP_ENVIRONMENT }] },
  ],
  notes: [],
};
