/**
 * Reads the model's inputs from a synthesized AWS stack: each `aws_codedeploy_deployment_group` and what it
 * references (target groups, ECS service, deployment config, alarms), the hooks its appspec lists (from the build's render targets), and
 * the order of the pipeline's stages. Missing arguments take AWS's defaults, and say so in the notes.
 */
import { AWS_TARGET_GROUP_DEFAULTS, presetRouting } from "./baseline";
import { EnvironmentSettings, PipelineAction, PipelineSettings, PipelineStage, TargetGroupTimings, TrafficRouting } from "./model";
import {
  Block,
  TerraformJson,
  blocks,
  firstBlock,
  numberOf,
  parseReference,
  renderTargetsOf,
  resolveResource,
  resourcesOf,
  stringOf,
  stringsOf,
} from "./terraform-json";

/** A pipeline found in the stack, with the environments its deploy actions reach. */
export interface ExtractedPipeline {
  readonly name: string;
  readonly settings: PipelineSettings;
}

const DEPLOY_PROVIDER = "CodeDeployToECS";
/** The standard ECS deploy action: ECS-native blue/green when the service's strategy is BLUE_GREEN. */
const ECS_DEPLOY_PROVIDER = "ECS";

/**
 * Every pipeline of the stack; without any, one assumed pipeline: source, build, then the deployment groups in the
 * order of `environmentOrder` (environment names a group name ends with; the JSON itself sorts them by id).
 */
export function extractPipelines(tf: TerraformJson, environmentOrder: readonly string[] = []): ExtractedPipeline[] {
  const rank = ([, group]: [string, Block]) => {
    const name = literal(group.deployment_group_name) ?? "";
    const i = environmentOrder.findIndex((env) => name === env || name.endsWith(`-${env}`));
    return i < 0 ? environmentOrder.length : i;
  };
  const groups = resourcesOf(tf, "aws_codedeploy_deployment_group").sort((a, b) => rank(a) - rank(b));
  const pipelines = resourcesOf(tf, "aws_codepipeline").map(([key, pipeline]) => ({
    name: stringOf(pipeline.name) ?? key,
    settings: pipelineSettings(tf, pipeline),
  }));
  if (pipelines.length > 0) return pipelines;
  if (groups.length === 0) throw new Error("the stack has no aws_codedeploy_deployment_group: nothing to model");
  const notes: string[] = [];
  const stages: PipelineStage[] = [
    { name: "Source", actions: [{ kind: "source", name: "Source", runOrder: 1 }] },
    { name: "Build", actions: [{ kind: "build", name: "Build", runOrder: 1 }] },
    ...groups.map(([key, group]): PipelineStage => {
      const environment = extractEnvironment(tf, key, group, notes);
      return { name: `Deploy-${environment.name}`, actions: [{ kind: "deploy", name: environment.name, runOrder: 1, environment }] };
    }),
  ];
  notes.unshift("no aws_codepipeline in the stack: assumed source, build, then each deployment group in the config's environment order, no approvals");
  return [{ name: "(assumed pipeline)", settings: { stages, notes } }];
}

function pipelineSettings(tf: TerraformJson, pipeline: Block): PipelineSettings {
  const notes: string[] = [];
  const stages = blocks(pipeline.stage).map(
    (stage): PipelineStage => ({
      name: stringOf(stage.name) ?? "?",
      actions: blocks(stage.action).map((action) => pipelineAction(tf, action, notes)),
    }),
  );
  return { stages, notes };
}

function pipelineAction(tf: TerraformJson, action: Block, notes: string[]): PipelineAction {
  const name = stringOf(action.name) ?? "?";
  const runOrder = numberOf(action.run_order) ?? 1;
  const category = stringOf(action.category);
  const provider = stringOf(action.provider) ?? "?";
  if (category === "Source") return { kind: "source", name, runOrder };
  if (category === "Approval") return { kind: "approval", name, runOrder };
  if (category === "Build" && provider === "CodeBuild") return { kind: "build", name, runOrder };
  if (category === "Deploy" && provider === DEPLOY_PROVIDER) {
    const configuration = (action.configuration ?? {}) as Block;
    const found = resolveResource(tf, "aws_codedeploy_deployment_group", configuration.DeploymentGroupName, "deployment_group_name");
    if (found) return { kind: "deploy", name, runOrder, environment: extractEnvironment(tf, found[0], found[1], notes) };
    notes.push(`deploy action ${name}: deployment group ${String(configuration.DeploymentGroupName)} is not in this stack`);
  }
  if (category === "Deploy" && provider === ECS_DEPLOY_PROVIDER) {
    const configuration = (action.configuration ?? {}) as Block;
    const found = resolveResource(tf, "aws_ecs_service", configuration.ServiceName, "name");
    if (found) return { kind: "deploy", name, runOrder, environment: extractEcsEnvironment(tf, found[0], found[1], notes) };
    notes.push(`deploy action ${name}: ECS service ${String(configuration.ServiceName)} is not in this stack`);
  }
  return { kind: "other", name, runOrder, provider };
}

/** The settings of one deployment group, following its references. */
export function extractEnvironment(tf: TerraformJson, key: string, group: Block, notes: string[]): EnvironmentSettings {
  const name = literal(group.deployment_group_name) ?? key;
  const blueGreen = firstBlock(group.blue_green_deployment_config) ?? {};
  const ready = firstBlock(blueGreen.deployment_ready_option) ?? {};
  const terminate = firstBlock(blueGreen.terminate_blue_instances_on_deployment_success) ?? {};
  const pair = firstBlock(firstBlock(group.load_balancer_info)?.target_group_pair_info) ?? {};
  const service = resolveResource(tf, "aws_ecs_service", firstBlock(group.ecs_service)?.service_name, "name")?.[1];
  if (!service) notes.push(`${name}: ECS service not found in the stack; grace period 0 and 1 task assumed`);
  const rollback = firstBlock(group.auto_rollback_configuration) ?? {};
  const alarms = alarmsOf(tf, group);
  const { deploymentConfigName, routing } = routingOf(tf, group, name, notes);
  return {
    name,
    deploymentConfigName,
    routing,
    targetGroup: targetGroupTimings(tf, blocks(pair.target_group), name, notes),
    healthCheckGracePeriodSeconds: numberOf(service?.health_check_grace_period_seconds) ?? 0,
    desiredCount: numberOf(service?.desired_count) ?? 1,
    readyOption: {
      actionOnTimeout: ready.action_on_timeout === "STOP_DEPLOYMENT" ? "STOP_DEPLOYMENT" : "CONTINUE_DEPLOYMENT",
      waitMinutes: numberOf(ready.wait_time_in_minutes) ?? 0,
    },
    terminationWaitMinutes: numberOf(terminate.termination_wait_time_in_minutes) ?? 0,
    hasTestListener: stringsOf(firstBlock(pair.test_traffic_route)?.listener_arns).length > 0,
    hooks: hooksOf(tf, service),
    alarmCount: alarms.count,
    fastestAlarmSeconds: alarms.fastestSeconds,
    autoRollbackEvents: rollback.enabled === true ? stringsOf(rollback.events) : [],
  };
}

/**
 * An ECS service on ECS-native blue/green: all production traffic moves at once when the new revision is healthy
 * (and its hooks passed), then both revisions run for the bake time. A service on the rolling strategy is noted.
 */
export function extractEcsEnvironment(tf: TerraformJson, key: string, service: Block, notes: string[]): EnvironmentSettings {
  const name = literal(service.name) ?? key;
  const deployment = firstBlock(service.deployment_configuration) ?? {};
  if (deployment.strategy !== "BLUE_GREEN") notes.push(`${name}: the ECS deploy action runs a ${String(deployment.strategy ?? "ROLLING")} deployment, modeled as blue/green`);
  const loadBalancer = firstBlock(service.load_balancer) ?? {};
  const advanced = firstBlock(loadBalancer.advanced_configuration) ?? {};
  const targetGroups = [loadBalancer.target_group_arn, advanced.alternate_target_group_arn]
    .map((arn) => resolveResource(tf, "aws_lb_target_group", arn, "arn")?.[1])
    .filter((b): b is Block => !!b);
  const alarmBlock = firstBlock(service.alarms);
  const alarmNames = alarmBlock && alarmBlock.enable !== false ? stringsOf(alarmBlock.alarm_names) : [];
  const alarmSeconds = alarmNames
    .map((n) => resolveResource(tf, "aws_cloudwatch_metric_alarm", n, "alarm_name")?.[1])
    .filter((b): b is Block => !!b)
    .map((alarm) => (numberOf(alarm.period) ?? 60) * (numberOf(alarm.datapoints_to_alarm) ?? numberOf(alarm.evaluation_periods) ?? 1));
  const hooks = blocks(deployment.lifecycle_hook).map((hook) => {
    const fn = resolveResource(tf, "aws_lambda_function", hook.hook_target_arn, "arn");
    return fn ? (literal(fn[1].function_name) ?? fn[0]) : String(hook.hook_target_arn);
  });
  const breaker = firstBlock(service.deployment_circuit_breaker);
  return {
    name,
    strategy: "ecs",
    deploymentConfigName: "ECS BLUE_GREEN",
    routing: { type: "AllAtOnce" },
    targetGroup: targetGroupTimings(tf, targetGroups.map((tg) => ({ name: tg.name })), name, notes),
    healthCheckGracePeriodSeconds: numberOf(service.health_check_grace_period_seconds) ?? 0,
    desiredCount: numberOf(service.desired_count) ?? 1,
    readyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT", waitMinutes: 0 },
    terminationWaitMinutes: numberOf(deployment.bake_time_in_minutes) ?? 0,
    hasTestListener: advanced.test_listener_rule !== undefined,
    hooks,
    alarmCount: alarmNames.length,
    fastestAlarmSeconds: alarmSeconds.length > 0 ? Math.min(...alarmSeconds) : undefined,
    // ECS rolls back on the alarms and on the circuit breaker (failed tasks or hooks): the same safety events.
    autoRollbackEvents: [
      ...(breaker?.rollback === true ? ["DEPLOYMENT_FAILURE"] : []),
      ...(alarmBlock?.rollback === true && alarmNames.length > 0 ? ["DEPLOYMENT_STOP_ON_ALARM"] : []),
    ],
  };
}

function literal(value: unknown): string | undefined {
  const s = stringOf(value);
  return s !== undefined && !s.includes("${") ? s : undefined;
}

function routingOf(tf: TerraformJson, group: Block, name: string, notes: string[]): { deploymentConfigName: string; routing: TrafficRouting } {
  const value = group.deployment_config_name;
  const custom = resolveResource(tf, "aws_codedeploy_deployment_config", value, "deployment_config_name");
  if (custom) {
    const configName = literal(custom[1].deployment_config_name) ?? custom[0];
    return { deploymentConfigName: configName, routing: customRouting(custom[1], configName, notes) };
  }
  const preset = literal(value) ?? "CodeDeployDefault.OneAtATime";
  const routing = presetRouting(preset);
  if (routing) return { deploymentConfigName: preset, routing };
  notes.push(`${name}: deployment config ${preset} is not an ECS preset; modeled as all at once`);
  return { deploymentConfigName: preset, routing: { type: "AllAtOnce" } };
}

function customRouting(config: Block, configName: string, notes: string[]): TrafficRouting {
  const routing = firstBlock(config.traffic_routing_config) ?? {};
  const step = (block: unknown) => {
    const b = firstBlock(block) ?? {};
    return { percentage: numberOf(b.percentage) ?? 100, intervalMinutes: numberOf(b.interval) ?? 0 };
  };
  if (routing.type === "TimeBasedCanary") return { type: "TimeBasedCanary", ...step(routing.time_based_canary) };
  if (routing.type === "TimeBasedLinear") return { type: "TimeBasedLinear", ...step(routing.time_based_linear) };
  if (routing.type !== "AllAtOnce") notes.push(`${configName}: traffic routing type ${String(routing.type)} modeled as all at once`);
  return { type: "AllAtOnce" };
}

/** The slower of the pair for each timing: the replacement task set may register with either group. */
function targetGroupTimings(tf: TerraformJson, pair: Block[], name: string, notes: string[]): TargetGroupTimings {
  const found = pair.map((tg) => resolveResource(tf, "aws_lb_target_group", tg.name, "name")?.[1]).filter((b): b is Block => !!b);
  if (found.length === 0) {
    notes.push(`${name}: target groups not found in the stack; AWS defaults assumed`);
    return AWS_TARGET_GROUP_DEFAULTS;
  }
  const timings = found.map((tg) => {
    const hc = firstBlock(tg.health_check) ?? {};
    const d = AWS_TARGET_GROUP_DEFAULTS;
    return {
      intervalSeconds: numberOf(hc.interval) ?? d.intervalSeconds,
      healthyThreshold: numberOf(hc.healthy_threshold) ?? d.healthyThreshold,
      unhealthyThreshold: numberOf(hc.unhealthy_threshold) ?? d.unhealthyThreshold,
      timeoutSeconds: numberOf(hc.timeout) ?? d.timeoutSeconds,
      deregistrationDelaySeconds: numberOf(tg.deregistration_delay) ?? d.deregistrationDelaySeconds,
    };
  });
  const keys = Object.keys(timings[0]) as (keyof TargetGroupTimings)[];
  return Object.fromEntries(keys.map((k) => [k, Math.max(...timings.map((t) => t[k]))])) as unknown as TargetGroupTimings;
}

/** Alarm count and the fastest detection: period x datapoints to alarm (evaluation periods by default). */
function alarmsOf(tf: TerraformJson, group: Block): { count: number; fastestSeconds?: number } {
  const config = firstBlock(group.alarm_configuration);
  if (!config || config.enabled === false) return { count: 0 };
  const names = stringsOf(config.alarms);
  const seconds = names
    .map((n) => resolveResource(tf, "aws_cloudwatch_metric_alarm", n, "alarm_name")?.[1])
    .filter((b): b is Block => !!b)
    .map((alarm) => alarmPeriodSeconds(alarm) * (numberOf(alarm.datapoints_to_alarm) ?? numberOf(alarm.evaluation_periods) ?? 1));
  return { count: names.length, fastestSeconds: seconds.length > 0 ? Math.min(...seconds) : undefined };
}

/**
 * A metric alarm's period, or for a metric-math alarm (no top-level period) the longest period of the metrics its
 * expression reads: a datapoint of the expression exists once every metric has one.
 */
function alarmPeriodSeconds(alarm: Block): number {
  const own = numberOf(alarm.period);
  if (own !== undefined) return own;
  const periods = blocks(alarm.metric_query)
    .map((query) => numberOf(firstBlock(query.metric)?.period))
    .filter((period): period is number => period !== undefined);
  return periods.length > 0 ? Math.max(...periods) : 60;
}

/**
 * Lambda hooks of a deployment group: the appspec the build renders lists them per environment, from the
 * build project's DEPLOY_TARGETS (render target -> the task definition Terraform registered for the group's
 * service). The hook's report grant is on `*` (no resource type), so IAM no longer ties a hook to its group.
 */
function hooksOf(tf: TerraformJson, service: Record<string, unknown> | undefined): string[] {
  const taskDefinition = parseReference(service?.task_definition)?.name;
  if (!taskDefinition) return [];
  for (const [, project] of resourcesOf(tf, "aws_codebuild_project")) {
    const target = renderTargetsOf(project)?.find((t) => parseReference(t.taskDefinition)?.name === taskDefinition);
    if (target) return (target.hooks ?? []).map((hook) => stringOf(hook.functionName) ?? "");
  }
  return [];
}
