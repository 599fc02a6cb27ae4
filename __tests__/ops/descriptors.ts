/**
 * Hand-built stack descriptors (`bluegreen.json`) for the operations command's tests, named as the project's
 * constructs name things (`<stack>-<env>` cluster, service, family, target groups, ALB). `writeOutdir` lays them
 * out as a synthesized app would: `manifest.json` and `stacks/<id>/bluegreen.json`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DESCRIPTOR_FILE,
  DESCRIPTOR_VERSION,
  EnvironmentDescriptor,
  PipelineActionDescriptor,
  StackDescriptor,
  StrategyDescriptor,
  TrafficShift,
} from "../../synthesized/descriptor";

export interface EnvironmentSpec {
  readonly name: string;
  readonly approval?: boolean;
  /** @default codedeploy, all at once */
  readonly strategy?: "codedeploy" | "ecs";
  readonly traffic?: TrafficShift;
  readonly ecsStrategy?: "BLUE_GREEN" | "LINEAR" | "CANARY";
  /** @default true */
  readonly hook?: boolean;
  readonly containerName?: string;
  readonly containerPort?: number;
  readonly prodListenerPort?: number;
  /** Fleet mode: the shared cluster (`<project>-<env>`). */
  readonly clusterName?: string;
  readonly bakeTimeMinutes?: number;
  readonly terminationWaitMinutes?: number;
}

export interface StackSpec {
  readonly project: string;
  readonly service?: string;
  readonly region?: string;
  readonly environments: readonly EnvironmentSpec[];
  readonly watchedImageTag?: string;
  readonly repositoryName?: string;
  readonly desiredCount?: number;
  readonly healthCheckPath?: string;
}

const ALARMS = ["blue-target-5xx", "blue-unhealthy-hosts", "green-target-5xx", "green-unhealthy-hosts"];

function strategyOf(stack: string, prefix: string, env: EnvironmentSpec): StrategyDescriptor {
  const hooks = env.hook === false ? [] : [{ stage: env.strategy === "ecs" ? "POST_TEST_TRAFFIC_SHIFT" : "AfterAllowTestTraffic", functionName: `CodeDeployHook_${prefix}` }];
  if (env.strategy === "ecs") {
    return {
      kind: "ecs",
      ecsStrategy: env.ecsStrategy ?? "BLUE_GREEN",
      traffic: env.traffic ?? { type: "AllAtOnce" },
      bakeTimeMinutes: env.bakeTimeMinutes ?? 5,
      hooks,
      releaseProject: `${prefix}-release`,
      autoRollback: { circuitBreaker: true, alarms: true },
    };
  }
  return {
    kind: "codedeploy",
    applicationName: stack,
    deploymentGroupName: prefix,
    deploymentConfigName: env.traffic?.type === "TimeBasedCanary" ? `${prefix}-canary` : "CodeDeployDefault.ECSAllAtOnce",
    traffic: env.traffic ?? { type: "AllAtOnce" },
    terminationWaitMinutes: env.terminationWaitMinutes ?? 0,
    readyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT", waitMinutes: 0 },
    hooks,
    autoRollbackEvents: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
  };
}

function environmentOf(spec: StackSpec, stack: string, env: EnvironmentSpec): EnvironmentDescriptor {
  const prefix = `${stack}-${env.name}`;
  const port = env.containerPort ?? 8080;
  const targetGroup = (color: string) => ({
    name: `${prefix}-${color}`,
    port,
    healthCheckPath: spec.healthCheckPath ?? "/health",
    intervalSeconds: 10,
    healthyThreshold: 2,
    unhealthyThreshold: 2,
    timeoutSeconds: 5,
    deregistrationDelaySeconds: 30,
  });
  return {
    name: env.name,
    deployStage: `Deploy-${env.name}`,
    deployAction: "BlueGreen",
    approval: env.approval ? { stage: `Approve-${env.name}`, action: "Approve" } : undefined,
    clusterName: env.clusterName ?? prefix,
    serviceName: prefix,
    containerName: env.containerName ?? "app",
    containerPort: port,
    family: prefix,
    taskRoleName: `${prefix}-task`,
    executionRoleName: `${prefix}-task-execution`,
    logGroupName: `/ecs/${prefix}`,
    desiredCount: spec.desiredCount ?? 2,
    healthCheckGracePeriodSeconds: 60,
    loadBalancerName: `${prefix}-alb`,
    sharedLoadBalancer: false,
    prodListenerPort: env.prodListenerPort ?? 80,
    testListenerPort: 8443,
    targetGroups: [targetGroup("blue"), targetGroup("green")],
    alarms: ALARMS.map((alarm) => ({ name: `${prefix}-${alarm}`, secondsToAlarm: 120 })),
    strategy: strategyOf(stack, prefix, env),
  };
}

/** The descriptor of one AWS stack: `<project>` or, in fleet mode, `<project>-<service>`. */
export function stackDescriptor(spec: StackSpec): StackDescriptor {
  const stackId = spec.service ? `${spec.project}-${spec.service}` : spec.project;
  const action = (name: string, category: string, provider: string, environment?: string): PipelineActionDescriptor => ({ name, category, provider, runOrder: 1, environment });
  const stages = [
    { name: "Source", actions: [action(spec.watchedImageTag ? "Image" : "GitHub", "Source", spec.watchedImageTag ? "ECR" : "CodeStarSourceConnection")] },
    ...(spec.watchedImageTag ? [] : [{ name: "Build", actions: [action("BuildImage", "Build", "CodeBuild")] }]),
    ...spec.environments.flatMap((env) => [
      ...(env.approval ? [{ name: `Approve-${env.name}`, actions: [action("Approve", "Approval", "Manual", env.name)] }] : []),
      {
        name: `Deploy-${env.name}`,
        actions: [env.strategy === "ecs" ? action("BlueGreen", "Build", "CodeBuild", env.name) : action("BlueGreen", "Deploy", "CodeDeployToECS", env.name)],
      },
    ]),
  ];
  return {
    version: DESCRIPTOR_VERSION,
    stackId,
    project: spec.project,
    service: spec.service,
    region: spec.region ?? "eu-west-1",
    repositoryName: spec.repositoryName ?? stackId,
    pipeline: { name: stackId, stages, watchedImageTag: spec.watchedImageTag },
    environments: spec.environments.map((env) => environmentOf(spec, stackId, env)),
    planRoleName: `${spec.project}-github-plan`,
    deployRoleName: `${spec.project}-github-deploy`,
  };
}

/** A synthesized app folder holding these descriptors (and stacks without one, e.g. `<project>-github`). */
export function writeOutdir(descriptors: readonly StackDescriptor[], otherStacks: readonly string[] = []): string {
  const outdir = mkdtempSync(join(tmpdir(), "ops-descriptors-"));
  const stacks: Record<string, { workingDirectory: string; synthesizedStackPath: string }> = {};
  for (const id of [...descriptors.map((d) => d.stackId), ...otherStacks]) {
    stacks[id] = { workingDirectory: `stacks/${id}`, synthesizedStackPath: `stacks/${id}/cdk.tf.json` };
    mkdirSync(join(outdir, "stacks", id), { recursive: true });
  }
  for (const descriptor of descriptors) writeFileSync(join(outdir, "stacks", descriptor.stackId, DESCRIPTOR_FILE), JSON.stringify(descriptor, null, 2));
  writeFileSync(join(outdir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks }));
  return outdir;
}

/** The default example (config/examples/default.yaml): staging all at once, prod canary 20% / 2 min after an approval. */
export const DEFAULT_STACK: StackSpec = {
  project: "bluegreen-demo",
  environments: [
    { name: "staging" },
    { name: "prod", approval: true, traffic: { type: "TimeBasedCanary", percentage: 20, intervalMinutes: 2 }, terminationWaitMinutes: 15 },
  ],
};

/** The ECS-native example (config/examples/ecs-native.yaml): both environments on ECS blue/green. */
export const ECS_NATIVE_STACK: StackSpec = {
  project: "catalog",
  healthCheckPath: "/healthz",
  environments: [
    { name: "staging", strategy: "ecs", bakeTimeMinutes: 5 },
    { name: "prod", strategy: "ecs", approval: true, bakeTimeMinutes: 15 },
  ],
};

/** Descriptors standing in for the synthesized stacks of an example config, by example file name. */
export function exampleDescriptors(example: string): StackDescriptor[] {
  switch (example) {
    case "default.yaml":
      return [stackDescriptor(DEFAULT_STACK)];
    case "ecs-native.yaml":
      return [stackDescriptor(ECS_NATIVE_STACK)];
    case "single-env-https.yaml":
      return [stackDescriptor({ project: "landing", region: "eu-central-1", environments: [{ name: "prod", hook: false, prodListenerPort: 443 }] })];
    case "ecr-source.yaml":
      return [stackDescriptor({ project: "billing", region: "eu-west-2", watchedImageTag: "release", environments: [{ name: "staging" }, { name: "prod", approval: true }] })];
    case "fleet.yaml":
      return ["web", "cart", "search"].map((service) =>
        stackDescriptor({
          project: "shop",
          service,
          region: "eu-central-1",
          repositoryName: `shop-${service}`,
          environments: [
            { name: "staging", clusterName: "shop-staging" },
            { name: "prod", approval: true, clusterName: "shop-prod" },
          ],
        }),
      );
    default:
      throw new Error(`no hand-built descriptors for ${example}`);
  }
}
