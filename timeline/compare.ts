import { EnvironmentSettings, EnvironmentTimeline, ModelOptions, PipelineSettings, PipelineTimeline, modelPipeline, scaleEstimates } from "./model";

/** The acceptance goal: at most half the workshop's time to 100% of production traffic. */
export const TARGET_RATIO = 0.5;

const REQUIRED_ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"];

/** Safety features of one environment that the time comparison must not trade away. */
export interface Safety {
  readonly alarms: number;
  readonly rollbackEvents: readonly string[];
  /** Alarms are wired and roll back: the automatic stop the CODE_DEPLOY controller otherwise lacks. */
  readonly alarmRollback: boolean;
  readonly testTraffic: boolean;
  readonly hooks: number;
  /** Gradual exposure: production traffic reaches the new version in more than one step. */
  readonly gradual: boolean;
  /** Seconds the first increment is served before the rest, for canary/linear; 0 all at once. */
  readonly bakeSeconds: number;
  readonly fastestAlarmSeconds?: number;
}

export interface Comparison {
  /** The environment compared: the pipeline's last (production). */
  readonly project: EnvironmentTimeline;
  readonly baseline: EnvironmentTimeline;
  readonly ratio: number;
  readonly meetsTimeGoal: boolean;
  readonly projectSafety: Safety;
  readonly baselineSafety: Safety;
  /** Each safety feature of the baseline is present in the project (alarms with rollback, test traffic, hooks). */
  readonly equalOrBetterSafety: boolean;
}

export function safetyOf(env: EnvironmentSettings): Safety {
  const r = env.routing;
  return {
    alarms: env.alarmCount,
    rollbackEvents: env.autoRollbackEvents,
    alarmRollback: env.alarmCount > 0 && REQUIRED_ROLLBACK_EVENTS.every((e) => env.autoRollbackEvents.includes(e)),
    testTraffic: env.hasTestListener,
    hooks: env.hooks.length,
    gradual: r.type !== "AllAtOnce",
    bakeSeconds: r.type === "AllAtOnce" ? 0 : r.intervalMinutes * 60,
    fastestAlarmSeconds: env.fastestAlarmSeconds,
  };
}

/** Compares the last environment of each pipeline (production) on time to 100% traffic and on safety. */
export function compareWithBaseline(project: PipelineTimeline, baseline: PipelineTimeline): Comparison {
  const p = last(project);
  const b = last(baseline);
  const ratio = p.fullTrafficAtSeconds / b.fullTrafficAtSeconds;
  const ps = safetyOf(p.environment);
  const bs = safetyOf(b.environment);
  const equalOrBetterSafety =
    (ps.alarmRollback || !bs.alarmRollback) &&
    bs.rollbackEvents.every((e) => ps.rollbackEvents.includes(e)) &&
    (ps.testTraffic || !bs.testTraffic) &&
    ps.hooks >= bs.hooks &&
    (ps.gradual || !bs.gradual);
  return {
    project: p,
    baseline: b,
    ratio,
    meetsTimeGoal: ratio <= TARGET_RATIO,
    projectSafety: ps,
    baselineSafety: bs,
    equalOrBetterSafety,
  };
}

function last(timeline: PipelineTimeline): EnvironmentTimeline {
  const env = timeline.environments[timeline.environments.length - 1];
  if (!env) throw new Error("the pipeline has no blue/green deploy action to compare");
  return env;
}

/** A reading of the model under which the comparison is repeated. */
export interface Scenario {
  readonly name: string;
  readonly options: ModelOptions;
}

/** The readings the goal should survive: each uncertain interpretation, and every estimate halved or doubled. */
export const SENSITIVITY_SCENARIOS: readonly Scenario[] = [
  { name: "as modeled (first passing check, linear at the start of the last increment)", options: {} },
  { name: "targets need healthyThreshold checks", options: { healthMode: "threshold" } },
  { name: "linear reaches 100% one interval later", options: { linearCountsLastInterval: true } },
  { name: "every estimate halved", options: { estimates: scaleEstimates(0.5) } },
  { name: "every estimate doubled", options: { estimates: scaleEstimates(2) } },
];

/** The comparison repeated under each scenario. */
export function sensitivity(project: PipelineSettings, baseline: PipelineSettings, scenarios = SENSITIVITY_SCENARIOS): { scenario: Scenario; comparison: Comparison }[] {
  return scenarios.map((scenario) => ({
    scenario,
    comparison: compareWithBaseline(modelPipeline(project, scenario.options), modelPipeline(baseline, scenario.options)),
  }));
}
