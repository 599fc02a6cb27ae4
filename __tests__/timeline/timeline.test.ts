import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ECS_PRESETS, WORKSHOP_ENVIRONMENT, WORKSHOP_PIPELINE, presetRouting } from "../../timeline/baseline";
import { compareWithBaseline, sensitivity } from "../../timeline/compare";
import { environmentSettings, extractPipelines } from "../../timeline/extract";
import { formatDuration } from "../../timeline/format";
import {
  ALB_METRIC_DELAY_SECONDS,
  ESTIMATES,
  EnvironmentSettings,
  PipelineSettings,
  alarmCoverage,
  healthySeconds,
  modelPipeline,
  trafficShiftSeconds,
} from "../../timeline/model";
import { StackDescriptor, TrafficShift } from "../../synthesized/descriptor";
import { readDescriptors } from "../../synthesized/read-descriptors";
import { loadConfig } from "../../config";
import { stackDescriptor } from "../ops/descriptors";
import { synthesizeExample, testConfig } from "../helpers/synth";

/** The default example's descriptor, with the target-group timings and pipeline shape the numbers below were worked out for. */
const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "timeline-default.bluegreen.json"), "utf8")) as StackDescriptor;

function onlyEnvironment(env: EnvironmentSettings): PipelineSettings {
  return { stages: [{ name: "Deploy", actions: [{ kind: "deploy", name: "Deploy", runOrder: 1, environment: env }] }], notes: [] };
}

describe("traffic shift", () => {
  test.each([
    ["CodeDeployDefault.ECSAllAtOnce", 0],
    ["CodeDeployDefault.ECSCanary10Percent5Minutes", 5 * 60],
    ["CodeDeployDefault.ECSCanary10Percent15Minutes", 15 * 60],
    ["CodeDeployDefault.ECSLinear10PercentEvery1Minutes", 9 * 60],
    ["CodeDeployDefault.ECSLinear10PercentEvery3Minutes", 27 * 60],
  ])("%s reaches 100%% after %i s", (preset, seconds) => {
    expect(trafficShiftSeconds(ECS_PRESETS[preset])).toBe(seconds);
  });

  test("a custom canary reaches 100% one interval after the first increment", () => {
    expect(trafficShiftSeconds({ type: "TimeBasedCanary", percentage: 20, intervalMinutes: 2 })).toBe(120);
  });

  test("a custom linear reaches 100% at the start of increment ceil(100 / p)", () => {
    expect(trafficShiftSeconds({ type: "TimeBasedLinear", percentage: 25, intervalMinutes: 2 })).toBe(3 * 120);
    expect(trafficShiftSeconds({ type: "TimeBasedLinear", percentage: 30, intervalMinutes: 1 })).toBe(3 * 60);
  });

  test("the pessimistic reading of linear adds one interval", () => {
    expect(trafficShiftSeconds(ECS_PRESETS["CodeDeployDefault.ECSLinear10PercentEvery1Minutes"], true)).toBe(10 * 60);
  });

  test("finds presets regardless of the case AWS's docs spell them in", () => {
    expect(presetRouting("CodeDeployDefault.ECSCanary10percent5Minutes")).toEqual({ type: "TimeBasedCanary", percentage: 10, intervalMinutes: 5 });
    expect(presetRouting("CodeDeployDefault.OneAtATime")).toBeUndefined();
  });
});

describe("target health", () => {
  const timings = { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2, timeoutSeconds: 5, deregistrationDelaySeconds: 30 };

  test("a newly registered target is healthy after the first passing check by default", () => {
    expect(healthySeconds(timings)).toBe(10);
  });

  test("the threshold reading needs healthyThreshold checks", () => {
    expect(healthySeconds(timings, "threshold")).toBe(30);
  });

  test("the grace period does not delay a healthy deployment", () => {
    const env = { ...WORKSHOP_ENVIRONMENT, healthCheckGracePeriodSeconds: 0 };
    const withGrace = { ...env, healthCheckGracePeriodSeconds: 600 };
    expect(modelPipeline(onlyEnvironment(withGrace)).totalSeconds).toBe(modelPipeline(onlyEnvironment(env)).totalSeconds);
  });
});

describe("workshop baseline", () => {
  const timeline = modelPipeline(WORKSHOP_PIPELINE);
  const [env] = timeline.environments;
  const e = ESTIMATES;
  const beforeShift = e.sourceSeconds + e.buildSeconds + e.deployActionStartSeconds + e.taskStartSeconds + e.targetRegistrationSeconds;

  test("reaches 100% of production traffic after the 30 s check, the 5-minute wait and 9 linear minutes", () => {
    const expected = beforeShift + 30 + e.listenerRerouteSeconds + 5 * 60 + e.listenerRerouteSeconds + 9 * 60;
    expect(env.fullTrafficAtSeconds).toBe(expected);
    expect(formatDuration(env.fullTrafficAtSeconds)).toBe("18 min 40 s");
  });

  test("terminates the old tasks after the 1-hour wait and the 300 s deregistration delay", () => {
    const expected = env.fullTrafficAtSeconds + 3600 + 300 + e.taskStopSeconds + e.actionCompletionSeconds;
    expect(env.oldTasksTerminatedAtSeconds).toBe(expected);
  });

  test("needs 150 s for targets under the threshold reading", () => {
    const pessimistic = modelPipeline(WORKSHOP_PIPELINE, { healthMode: "threshold" });
    expect(pessimistic.environments[0].fullTrafficAtSeconds - env.fullTrafficAtSeconds).toBe(150 - 30);
  });
});

describe("extraction from the synthesized stack", () => {
  const [pipeline] = extractPipelines([fixture]);
  const environments = pipeline.settings.stages.flatMap((s) => s.actions).flatMap((a) => (a.kind === "deploy" ? [a.environment] : []));

  test("follows the pipeline's stages in order", () => {
    expect(pipeline.name).toBe("bluegreen-demo");
    expect(pipeline.settings.stages.map((s) => s.actions.map((a) => a.kind))).toEqual([["source"], ["build"], ["deploy"], ["approval", "deploy"]]);
    expect(environments.map((e) => e.name)).toEqual(["bluegreen-demo-staging", "bluegreen-demo-prod"]);
  });

  test("reads the target group timings, the grace period and the task count", () => {
    expect(environments[0].targetGroup).toEqual({
      intervalSeconds: 10,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      timeoutSeconds: 5,
      deregistrationDelaySeconds: 30,
    });
    expect(environments[0].healthCheckGracePeriodSeconds).toBe(60);
    expect(environments[0].desiredCount).toBe(2);
  });

  test("reads a preset and a custom canary config", () => {
    expect(environments[0].routing).toEqual({ type: "AllAtOnce" });
    expect(environments[1].routing).toEqual({ type: "TimeBasedCanary", percentage: 20, intervalMinutes: 2 });
  });

  test("reads the ready option, the termination wait, alarms, rollback and test listener", () => {
    const prod = environments[1];
    expect(prod.readyOption).toEqual({ actionOnTimeout: "CONTINUE_DEPLOYMENT", waitMinutes: 0 });
    expect(prod.terminationWaitMinutes).toBe(15);
    expect(prod.alarmCount).toBe(4);
    expect(prod.fastestAlarmSeconds).toBe(120);
    expect(prod.autoRollbackEvents).toEqual(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]);
    expect(prod.hasTestListener).toBe(true);
  });

  test("finds each deployment group's hook in the appspec targets the build renders", () => {
    expect(environments.map((e) => e.hooks)).toEqual([["CodeDeployHook_bluegreen-demo-staging"], ["CodeDeployHook_bluegreen-demo-prod"]]);
  });

  test("takes AWS's defaults when a descriptor lists no target groups, and says so", () => {
    const notes: string[] = [];
    const env = environmentSettings({ ...fixture.environments[0], targetGroups: [] }, notes);
    expect(env.targetGroup.intervalSeconds).toBe(30);
    expect(env.targetGroup.deregistrationDelaySeconds).toBe(300);
    expect(notes).toEqual(["bluegreen-demo-staging: no target groups in the descriptor; AWS defaults assumed"]);
  });
});

describe("extraction from the synthesized default example", () => {
  test("follows its stages: source, build, staging, approval, prod, each deployment group with its hook", () => {
    const config = loadConfig(join(__dirname, "..", "..", "config", "examples", "default.yaml"));
    const [pipeline] = extractPipelines(readDescriptors(synthesizeExample(config).outdir));
    const actions = pipeline.settings.stages.flatMap((s) => s.actions);
    expect(actions.map((a) => a.kind)).toEqual(["source", "build", "deploy", "approval", "deploy"]);
    const deploys = actions.flatMap((a) => (a.kind === "deploy" ? [a.environment] : []));
    expect(deploys.map((e) => [e.name, e.deploymentConfigName, e.hooks.length])).toEqual([
      ["bluegreen-demo-staging", "CodeDeployDefault.ECSAllAtOnce", 1],
      ["bluegreen-demo-prod", "bluegreen-demo-prod-canary-20pct-every-2min", 1],
    ]);
    expect(pipeline.settings.notes).toEqual([]);
  });
});

describe("the ecs strategy (ECS-native blue/green)", () => {
  const ecsPipeline = () => {
    const config = testConfig({ environments: [{ name: "staging" }, { name: "prod", strategy: "ecs", bakeTimeMinutes: 10, smokeTest: true }] });
    const [pipeline] = extractPipelines(readDescriptors(synthesizeExample(config).outdir));
    return pipeline;
  };

  test("reads the ECS environment's release action: bake time, hook, alarms, circuit breaker, test listener rule", () => {
    const pipeline = ecsPipeline();
    const deploys = pipeline.settings.stages.flatMap((s) => s.actions).flatMap((a) => (a.kind === "deploy" ? [a.environment] : []));
    expect(deploys.map((e) => [e.name, e.strategy ?? "codedeploy"])).toEqual([
      ["demo-staging", "codedeploy"],
      ["demo-prod", "ecs"],
    ]);
    const prod = deploys[1];
    expect(prod).toMatchObject({
      deploymentConfigName: "ECS BLUE_GREEN",
      routing: { type: "AllAtOnce" },
      terminationWaitMinutes: 10,
      hasTestListener: true,
      hooks: ["CodeDeployHook_demo-prod"],
      autoRollbackEvents: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
      desiredCount: 2,
    });
    expect(prod.alarmCount).toBeGreaterThan(0);
    expect(prod.targetGroup.deregistrationDelaySeconds).toBe(30);
    expect(pipeline.settings.notes).toEqual([]);
  });

  test("moves production traffic at once after the hook, then bakes, with no ready-option step", () => {
    const [, prod] = modelPipeline(ecsPipeline().settings).environments;
    expect(prod.steps.map((s) => s.name)).toEqual([
      "deploy action starts",
      "replacement tasks start",
      "targets register",
      "targets healthy",
      "test traffic rerouted",
      "lifecycle hook",
      "production reroute starts",
      "traffic shift",
      "bake time",
      "old targets drain",
      "old tasks stop",
      "deployment succeeds",
    ]);
    expect(prod.steps.find((s) => s.name === "bake time")?.seconds).toBe(600);
    expect(prod.steps.find((s) => s.name === "traffic shift")?.seconds).toBe(0);
  });

  test("starts with the release project (CodeBuild), not a CodeDeploy action", () => {
    const [, prod] = modelPipeline(ecsPipeline().settings).environments;
    expect(prod.steps[0]).toMatchObject({ seconds: ESTIMATES.releaseProjectStartSeconds, note: "release project (CodeBuild): registers the revision, UpdateService" });
  });

  const ecsEnvironment = (ecsStrategy: "LINEAR" | "CANARY", traffic: TrafficShift) =>
    stackDescriptor({ project: "demo", environments: [{ name: "prod", strategy: "ecs", ecsStrategy, traffic, bakeTimeMinutes: 5 }] }).environments[0];

  test("an ECS LINEAR strategy shifts in steps: 25% every 2 minutes reaches 100% after 3 intervals", () => {
    const env = environmentSettings(ecsEnvironment("LINEAR", { type: "TimeBasedLinear", percentage: 25, intervalMinutes: 2 }), []);
    const [t] = modelPipeline(onlyEnvironment(env)).environments;
    expect(env.deploymentConfigName).toBe("ECS LINEAR");
    expect(t.steps.find((s) => s.name === "traffic shift")).toMatchObject({ seconds: 3 * 120, note: "linear 25% every 2 min" });
    expect(t.steps.find((s) => s.name === "bake time")?.seconds).toBe(300);
  });

  test("an ECS CANARY strategy serves its first step one interval, and the alarms judge it while the bake time runs", () => {
    const env = environmentSettings(ecsEnvironment("CANARY", { type: "TimeBasedCanary", percentage: 10, intervalMinutes: 5 }), []);
    const [t] = modelPipeline(onlyEnvironment(env)).environments;
    expect(t.steps.find((s) => s.name === "traffic shift")).toMatchObject({ seconds: 300, note: "canary 10% / 5 min" });
    expect(alarmCoverage(env)).toMatchObject({ stoppableSeconds: 300 + 5 * 60, caughtBeforeFullShift: true, caughtBeforeTermination: true });
  });
});

describe("pipeline timeline", () => {
  const [pipeline] = extractPipelines([fixture]);
  const timeline = modelPipeline(pipeline.settings);
  const [staging, prod] = timeline.environments;

  test("starts production after staging's old tasks are gone and counts the approval as a human gate", () => {
    expect(prod.startsAtSeconds).toBe(staging.oldTasksTerminatedAtSeconds);
    expect(prod.humanGates).toBe(1);
    expect(staging.humanGates).toBe(0);
  });

  test("runs actions with the same run order in parallel", () => {
    const env = { ...WORKSHOP_ENVIRONMENT, terminationWaitMinutes: 0 };
    const twoAtOnce: PipelineSettings = {
      stages: [
        {
          name: "Deploy",
          actions: [
            { kind: "deploy", name: "a", runOrder: 1, environment: env },
            { kind: "deploy", name: "b", runOrder: 1, environment: env },
          ],
        },
      ],
      notes: [],
    };
    const [a, b] = modelPipeline(twoAtOnce).environments;
    expect(b.startsAtSeconds).toBe(a.startsAtSeconds);
  });

  test("models a manual reroute (STOP_DEPLOYMENT) as a human gate of 0 s", () => {
    const env = { ...WORKSHOP_ENVIRONMENT, readyOption: { actionOnTimeout: "STOP_DEPLOYMENT" as const, waitMinutes: 60 } };
    const [t] = modelPipeline(onlyEnvironment(env)).environments;
    expect(t.humanGates).toBe(1);
    expect(t.steps.find((s) => s.name === "manual reroute")?.seconds).toBe(0);
  });
});

describe("comparison with the workshop", () => {
  const [pipeline] = extractPipelines([fixture]);

  test("reports the ratio of the last environment's time to 100% traffic", () => {
    const c = compareWithBaseline(modelPipeline(pipeline.settings), modelPipeline(WORKSHOP_PIPELINE));
    expect(c.project.environment.name).toBe("bluegreen-demo-prod");
    expect(c.ratio).toBeCloseTo(c.project.fullTrafficAtSeconds / c.baseline.fullTrafficAtSeconds, 10);
    expect(c.ratio).toBeLessThan(0.55);
  });

  test("finds the default's safety equal or better: alarms with rollback, test traffic, a hook, gradual shift", () => {
    const c = compareWithBaseline(modelPipeline(pipeline.settings), modelPipeline(WORKSHOP_PIPELINE));
    expect(c.equalOrBetterSafety).toBe(true);
    expect(c.projectSafety.alarmRollback).toBe(true);
    expect(c.baselineSafety.alarmRollback).toBe(false);
  });

  test("finds safety worse when production shifts all at once and the workshop does not", () => {
    const env = { ...WORKSHOP_ENVIRONMENT, routing: { type: "AllAtOnce" as const }, readyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" as const, waitMinutes: 0 } };
    const c = compareWithBaseline(modelPipeline(onlyEnvironment(env)), modelPipeline(WORKSHOP_PIPELINE));
    expect(c.meetsTimeGoal).toBe(true);
    expect(c.equalOrBetterSafety).toBe(false);
  });

  test("repeats the comparison under each reading of the model", () => {
    const results = sensitivity(pipeline.settings, WORKSHOP_PIPELINE);
    expect(results.map((r) => r.scenario.name)).toContain("targets need healthyThreshold checks");
    const threshold = results.find((r) => r.scenario.name === "targets need healthyThreshold checks");
    expect(threshold?.comparison.baseline.fullTrafficAtSeconds).toBeGreaterThan(results[0].comparison.baseline.fullTrafficAtSeconds);
  });
});

describe("alarm coverage: how the alarms judge a release", () => {
  const [pipeline] = extractPipelines([fixture]);
  const environments = pipeline.settings.stages.flatMap((stage) => stage.actions).flatMap((a) => (a.kind === "deploy" ? [a.environment] : []));
  const [staging, prod] = environments;

  test("detects bad production traffic on the new task set in two one-minute datapoints plus the metric delay", () => {
    expect(ALB_METRIC_DELAY_SECONDS).toBe(60);
    expect(alarmCoverage(prod).detectionSeconds).toBe(180);
  });

  test("prod's default canary (20% for 2 minutes, 15 minutes termination wait) still rolls back what the alarms catch", () => {
    expect(alarmCoverage(prod)).toEqual({
      detectionSeconds: 180,
      stoppableSeconds: 120 + 15 * 60,
      caughtBeforeFullShift: false,
      caughtBeforeTermination: true,
    });
  });

  test("a canary step of 3 minutes or more is judged before the full shift", () => {
    const longer = { ...prod, routing: { type: "TimeBasedCanary" as const, percentage: 20, intervalMinutes: 3 } };
    expect(alarmCoverage(longer).caughtBeforeFullShift).toBe(true);
  });

  test("staging all at once without a termination wait is not stoppable by alarms (its smoke test guards it)", () => {
    expect(alarmCoverage(staging)).toMatchObject({ stoppableSeconds: 0, caughtBeforeFullShift: false, caughtBeforeTermination: false });
    expect(staging.hooks).toEqual(["CodeDeployHook_bluegreen-demo-staging"]);
  });

  test("an environment without alarms detects nothing", () => {
    expect(alarmCoverage({ ...prod, alarmCount: 0, fastestAlarmSeconds: undefined })).toMatchObject({
      detectionSeconds: undefined,
      caughtBeforeTermination: false,
    });
  });
});
