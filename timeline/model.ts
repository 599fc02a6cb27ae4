/**
 * The deployment-time model: from the settings of a pipeline and its blue/green deployment groups to the modeled
 * time from pipeline start to 100% of production traffic and to old-task termination, per environment.
 * Pure functions and named constants only; docs/timeline.md explains every number.
 */

import type { TrafficShift } from "../synthesized/descriptor";

/** How production traffic moves: a CodeDeploy ECS deployment config, or an ECS strategy (BLUE_GREEN, LINEAR, CANARY). */
export type TrafficRouting = TrafficShift;

/** Health check and draining settings of the target group the replacement task set registers with. */
export interface TargetGroupTimings {
  readonly intervalSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly timeoutSeconds: number;
  readonly deregistrationDelaySeconds: number;
}

/** `blue_green_deployment_config.deployment_ready_option`. */
export interface ReadyOption {
  readonly actionOnTimeout: "CONTINUE_DEPLOYMENT" | "STOP_DEPLOYMENT";
  readonly waitMinutes: number;
}

/**
 * Everything the model needs about one environment: a CodeDeploy deployment group, or an ECS service ECS deploys
 * itself (strategy `ecs`: BLUE_GREEN moves all production traffic at once, LINEAR and CANARY in steps, then the
 * bake time).
 */
export interface EnvironmentSettings {
  /** Deployment group name (CodeDeploy) or service name (ECS-native). */
  readonly name: string;
  /**
   * Who shifts traffic: CodeDeploy (listeners) or ECS itself (listener rules).
   * @default "codedeploy"
   */
  readonly strategy?: "codedeploy" | "ecs";
  /** A `CodeDeployDefault.*` preset or the custom config's name; `ECS <strategy>` (e.g. `ECS CANARY`) for the ecs strategy. */
  readonly deploymentConfigName: string;
  readonly routing: TrafficRouting;
  readonly targetGroup: TargetGroupTimings;
  readonly healthCheckGracePeriodSeconds: number;
  readonly desiredCount: number;
  readonly readyOption: ReadyOption;
  /** Minutes the old tasks keep running after 100% traffic: CodeDeploy's termination wait, or ECS's bake time. */
  readonly terminationWaitMinutes: number;
  /** A test listener is wired in: CodeDeploy routes test traffic to the replacement task set first. */
  readonly hasTestListener: boolean;
  /** Lambda lifecycle hooks that report to this group (e.g. the smoke test). */
  readonly hooks: readonly string[];
  readonly alarmCount: number;
  /** Fastest time from a bad minute to an alarm, over the group's alarms (period x datapoints). */
  readonly fastestAlarmSeconds?: number;
  readonly autoRollbackEvents: readonly string[];
}

/** One CodePipeline action, reduced to what costs time. */
export type PipelineAction =
  | { readonly kind: "source"; readonly name: string; readonly runOrder: number }
  | { readonly kind: "build"; readonly name: string; readonly runOrder: number }
  | { readonly kind: "approval"; readonly name: string; readonly runOrder: number }
  | { readonly kind: "deploy"; readonly name: string; readonly runOrder: number; readonly environment: EnvironmentSettings }
  | { readonly kind: "other"; readonly name: string; readonly runOrder: number; readonly provider: string };

export interface PipelineStage {
  readonly name: string;
  readonly actions: readonly PipelineAction[];
}

/** The modeled pipeline: stages run one after the other; actions of a stage by run order (equal run order: parallel). */
export interface PipelineSettings {
  readonly stages: readonly PipelineStage[];
  /** What the extraction assumed or could not find. */
  readonly notes: readonly string[];
}

/**
 * How a newly registered target becomes healthy.
 * - `first-check`: one passing check, as the ALB and ECS guides document for newly registered targets;
 * - `threshold`: `healthyThreshold` consecutive passing checks (the pessimistic reading, and what a target that
 *   failed its first checks needs to recover).
 */
export type HealthMode = "first-check" | "threshold";

/**
 * Estimates for the steps no setting controls (seconds). Each is justified in docs/timeline.md; both the project
 * and the workshop baseline use the same values, so the comparison only moves with the synthesized settings.
 */
export const ESTIMATES = {
  /** Source action (CodeConnections clone of a small repository, zipped to S3). */
  sourceSeconds: 10,
  /** CodeBuild: provisioning 45 + install/ECR login 10 + docker build, warm cache 45 + push changed layers 25 + render files and upload artifacts 15. */
  buildSeconds: 140,
  /** An action the model does not know (e.g. an invoke): counted as a pipeline transition. */
  otherActionSeconds: 10,
  /** CodeDeployToECS: registers the task definition revision, creates the deployment, CodeDeploy starts it. */
  deployActionStartSeconds: 15,
  /** The ecs strategy's release project (CodeBuild): provisioning 45, then RegisterTaskDefinition and UpdateService 5. */
  releaseProjectStartSeconds: 50,
  /** Fargate: capacity and ENI attach, image pull (~100 MB), container start; tasks start in parallel. */
  taskStartSeconds: 60,
  /** ECS registers the task IPs with the target group (state `initial` until the first check). */
  targetRegistrationSeconds: 15,
  /** One listener rewrite by CodeDeploy (test traffic, then production traffic). */
  listenerRerouteSeconds: 5,
  /** A Lambda lifecycle hook: invocation, a few requests to the test listener, the status report. */
  hookSeconds: 15,
  /** Old tasks stop after draining: SIGTERM and a prompt exit (the container's stopTimeout bounds it at 30 s). */
  taskStopSeconds: 5,
  /** CodeDeploy marks the deployment succeeded and CodePipeline notices (its polling). */
  actionCompletionSeconds: 10,
} as const;

export type Estimates = { readonly [K in keyof typeof ESTIMATES]: number };

export interface ModelOptions {
  readonly healthMode?: HealthMode;
  readonly estimates?: Estimates;
  /**
   * Linear configs reach 100% one interval later (the "10 minutes for 10% every minute" reading of the user guide)
   * instead of at the start of the last increment (the API reference's reading).
   * @default false
   */
  readonly linearCountsLastInterval?: boolean;
}

/** Every estimate multiplied by `factor` (sensitivity analysis). */
export function scaleEstimates(factor: number, base: Estimates = ESTIMATES): Estimates {
  return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, v * factor])) as unknown as Estimates;
}

/** ALB metrics reach CloudWatch about a minute after the minute they describe (an estimate, see docs/timeline.md). */
export const ALB_METRIC_DELAY_SECONDS = 60;

/**
 * How an environment's alarms judge a release: from the replacement task set's first production requests to the
 * alarm firing (fastest alarm window plus the metric delay), against how long the deployment stays stoppable.
 * A stop-on-alarm shifts traffic back to the original task set for as long as the deployment is in progress:
 * the traffic shift plus the termination wait. Alarms see both target groups alike, because CodeDeploy
 * alternates which one holds the replacement task set.
 */
export interface AlarmCoverage {
  /** Seconds from bad production traffic on the new task set to an alarm, at the fastest; undefined without alarms. */
  readonly detectionSeconds?: number;
  /** Seconds the deployment can still be stopped and rolled back after production traffic first reaches the new task set. */
  readonly stoppableSeconds: number;
  /** The fastest alarm fires while only the first canary/linear step is exposed (false for all-at-once). */
  readonly caughtBeforeFullShift: boolean;
  /** The fastest alarm fires while the deployment can still roll back. */
  readonly caughtBeforeTermination: boolean;
}

export function alarmCoverage(env: EnvironmentSettings): AlarmCoverage {
  const detectionSeconds = env.fastestAlarmSeconds !== undefined ? env.fastestAlarmSeconds + ALB_METRIC_DELAY_SECONDS : undefined;
  const firstStepSeconds = env.routing.type === "AllAtOnce" ? 0 : env.routing.intervalMinutes * 60;
  const stoppableSeconds = trafficShiftSeconds(env.routing) + env.terminationWaitMinutes * 60;
  return {
    detectionSeconds,
    stoppableSeconds,
    caughtBeforeFullShift: detectionSeconds !== undefined && detectionSeconds <= firstStepSeconds,
    caughtBeforeTermination: detectionSeconds !== undefined && detectionSeconds <= stoppableSeconds,
  };
}

/** One modeled step; `human` marks a step whose real duration is a person's reaction time (modeled as 0). */
export interface Step {
  readonly name: string;
  readonly seconds: number;
  readonly note?: string;
  readonly human?: boolean;
  /** Seconds from pipeline start when the step ends. */
  readonly endsAtSeconds: number;
}

export interface EnvironmentTimeline {
  readonly environment: EnvironmentSettings;
  readonly startsAtSeconds: number;
  /** Pipeline start to 100% of production traffic on the replacement task set. */
  readonly fullTrafficAtSeconds: number;
  /** Pipeline start to the old task set stopped and the deployment succeeded. */
  readonly oldTasksTerminatedAtSeconds: number;
  /** Human gates (approvals, manual reroutes) before 100% traffic, from pipeline start: each adds a person's reaction time. */
  readonly humanGates: number;
  readonly steps: readonly Step[];
}

export interface PipelineTimeline {
  /** Steps outside deployments (source, build, approvals, unknown actions), in order. */
  readonly pipelineSteps: readonly Step[];
  readonly environments: readonly EnvironmentTimeline[];
  readonly totalSeconds: number;
  readonly notes: readonly string[];
}

/**
 * Seconds from the first production shift to 100% of production traffic.
 * Canary: the rest follows one interval after the first increment. Linear: CodeDeploy shifts `percentage` "at the
 * start of each increment" (API reference, TimeBasedLinear), so 100% is reached at the start of increment
 * ceil(100 / p), i.e. after ceil(100 / p) - 1 intervals: 9 minutes for 10% every minute.
 */
export function trafficShiftSeconds(routing: TrafficRouting, linearCountsLastInterval = false): number {
  switch (routing.type) {
    case "AllAtOnce":
      return 0;
    case "TimeBasedCanary":
      return routing.intervalMinutes * 60;
    case "TimeBasedLinear": {
      const intervals = Math.ceil(100 / routing.percentage) - (linearCountsLastInterval ? 0 : 1);
      return intervals * routing.intervalMinutes * 60;
    }
  }
}

/** Seconds from registration to a healthy target: the grace period is not part of it (it only mutes unhealthy). */
export function healthySeconds(timings: TargetGroupTimings, mode: HealthMode = "first-check"): number {
  const checks = mode === "first-check" ? 1 : timings.healthyThreshold;
  return checks * timings.intervalSeconds;
}

/** A short human label of a routing, e.g. `canary 20% / 2 min`. */
export function describeRouting(routing: TrafficRouting): string {
  switch (routing.type) {
    case "AllAtOnce":
      return "all at once";
    case "TimeBasedCanary":
      return `canary ${routing.percentage}% / ${routing.intervalMinutes} min`;
    case "TimeBasedLinear":
      return `linear ${routing.percentage}% every ${routing.intervalMinutes} min`;
  }
}

type RawStep = Omit<Step, "endsAtSeconds">;

/** The steps of one blue/green deployment, split at the moment production traffic reaches 100%. */
export function deploymentSteps(env: EnvironmentSettings, options: ModelOptions = {}): { toFullTraffic: RawStep[]; toTermination: RawStep[] } {
  const e = options.estimates ?? ESTIMATES;
  const mode = options.healthMode ?? "first-check";
  const tg = env.targetGroup;
  const ecs = env.strategy === "ecs";
  const toFullTraffic: RawStep[] = [
    {
      name: "deploy action starts",
      seconds: ecs ? e.releaseProjectStartSeconds : e.deployActionStartSeconds,
      note: ecs ? "release project (CodeBuild): registers the revision, UpdateService" : "CodeDeployToECS: registers the revision, CreateDeployment",
    },
    { name: "replacement tasks start", seconds: e.taskStartSeconds, note: `${env.desiredCount} task(s), in parallel` },
    { name: "targets register", seconds: e.targetRegistrationSeconds },
    {
      name: "targets healthy",
      seconds: healthySeconds(tg, mode),
      note:
        mode === "first-check"
          ? `first passing check, interval ${tg.intervalSeconds} s`
          : `${tg.healthyThreshold} checks x ${tg.intervalSeconds} s`,
    },
  ];
  if (env.hasTestListener) {
    toFullTraffic.push({ name: "test traffic rerouted", seconds: e.listenerRerouteSeconds, note: ecs ? "test listener rule reweighted" : undefined });
  }
  for (const hook of env.hooks) toFullTraffic.push({ name: "lifecycle hook", seconds: e.hookSeconds, note: hook });
  // ECS-native blue/green has no ready option: production traffic moves once the hooks passed.
  if (!ecs) toFullTraffic.push(readyStep(env.readyOption));
  toFullTraffic.push({
    name: "production reroute starts",
    seconds: e.listenerRerouteSeconds,
    note: ecs ? "production listener rule reweighted" : undefined,
  });
  toFullTraffic.push({
    name: "traffic shift",
    seconds: trafficShiftSeconds(env.routing, options.linearCountsLastInterval),
    note: describeRouting(env.routing),
  });

  const toTermination: RawStep[] = [
    ecs
      ? { name: "bake time", seconds: env.terminationWaitMinutes * 60, note: "both revisions run; alarms can still roll back" }
      : { name: "termination wait", seconds: env.terminationWaitMinutes * 60, note: "old task set kept for instant rollback" },
    { name: "old targets drain", seconds: tg.deregistrationDelaySeconds, note: "deregistration delay" },
    { name: "old tasks stop", seconds: e.taskStopSeconds },
    { name: "deployment succeeds", seconds: e.actionCompletionSeconds },
  ];
  return { toFullTraffic, toTermination };
}

function readyStep(option: ReadyOption): RawStep {
  if (option.actionOnTimeout === "STOP_DEPLOYMENT") {
    return {
      name: "manual reroute",
      seconds: 0,
      human: true,
      note: `+ human (within ${option.waitMinutes} min, else the deployment stops)`,
    };
  }
  if (option.waitMinutes > 0) {
    return { name: "reroute wait", seconds: option.waitMinutes * 60, note: "deployment_ready_option wait" };
  }
  return { name: "reroute at once", seconds: 0, note: "CONTINUE_DEPLOYMENT" };
}

function pipelineActionStep(action: PipelineAction, e: Estimates): RawStep {
  switch (action.kind) {
    case "source":
      return { name: `source: ${action.name}`, seconds: e.sourceSeconds };
    case "build":
      return { name: `build: ${action.name}`, seconds: e.buildSeconds, note: "estimate, see docs/timeline.md" };
    case "approval":
      return { name: `approval: ${action.name}`, seconds: 0, human: true, note: "+ human" };
    case "other":
      return { name: `${action.provider}: ${action.name}`, seconds: e.otherActionSeconds, note: "unknown action, estimate" };
    case "deploy":
      throw new Error("deploy actions are modeled by deploymentSteps");
  }
}

function accumulate(steps: RawStep[], start: number): Step[] {
  let at = start;
  return steps.map((step) => {
    at += step.seconds;
    return { ...step, endsAtSeconds: at };
  });
}

/** Runs the pipeline: stages in order; within a stage, run orders in order and equal run orders in parallel. */
export function modelPipeline(settings: PipelineSettings, options: ModelOptions = {}): PipelineTimeline {
  const e = options.estimates ?? ESTIMATES;
  const pipelineSteps: Step[] = [];
  const environments: EnvironmentTimeline[] = [];
  let now = 0;
  let humanGates = 0;
  for (const stage of settings.stages) {
    const runOrders = [...new Set(stage.actions.map((a) => a.runOrder))].sort((a, b) => a - b);
    for (const runOrder of runOrders) {
      let groupEnd = now;
      let groupGates = 0;
      for (const action of stage.actions.filter((a) => a.runOrder === runOrder)) {
        if (action.kind === "deploy") {
          const timeline = modelEnvironment(action.environment, now, humanGates, options);
          environments.push(timeline);
          groupEnd = Math.max(groupEnd, timeline.oldTasksTerminatedAtSeconds);
          groupGates = Math.max(groupGates, timeline.humanGates - humanGates);
        } else {
          const [step] = accumulate([pipelineActionStep(action, e)], now);
          pipelineSteps.push(step);
          groupEnd = Math.max(groupEnd, step.endsAtSeconds);
          if (step.human) groupGates = Math.max(groupGates, 1);
        }
      }
      now = groupEnd;
      humanGates += groupGates;
    }
  }
  return { pipelineSteps, environments, totalSeconds: now, notes: settings.notes };
}

function modelEnvironment(env: EnvironmentSettings, start: number, gatesBefore: number, options: ModelOptions): EnvironmentTimeline {
  const { toFullTraffic, toTermination } = deploymentSteps(env, options);
  const first = accumulate(toFullTraffic, start);
  const fullTrafficAtSeconds = first[first.length - 1].endsAtSeconds;
  const second = accumulate(toTermination, fullTrafficAtSeconds);
  return {
    environment: env,
    startsAtSeconds: start,
    fullTrafficAtSeconds,
    oldTasksTerminatedAtSeconds: second[second.length - 1].endsAtSeconds,
    humanGates: gatesBefore + first.filter((s) => s.human).length,
    steps: [...first, ...second],
  };
}
