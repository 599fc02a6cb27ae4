/**
 * ECS responses for the ECS-native example (config/examples/ecs-native.yaml: project catalog, environments on ECS
 * blue/green), typed with the SDK's own shapes: the service with its listener rules, the rules' weights, and service
 * deployments at a given point.
 */
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServiceDeploymentsCommand,
  Service,
  ServiceDeployment,
  ServiceDeploymentLifecycleStage,
  ServiceDeploymentStatus,
} from "@aws-sdk/client-ecs";
import { DescribeImagesCommand } from "@aws-sdk/client-ecr";
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand, Rule } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ENDED, IN_FLIGHT } from "../../ops/strategies/ecs-deployments";
import { ACCOUNT, Mocks, START } from "./harness";

export type EcsEnv = "staging" | "prod";
const at = (service: string) => `arn:aws:${service}:eu-west-1:${ACCOUNT}:`;
export const name = (env: EcsEnv) => `catalog-${env}`;
export const REPOSITORY = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/catalog`;
export const DIGEST = "sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b";
export const LIVE_REVISION: Record<EcsEnv, number> = { staging: 12, prod: 9 };

export const taskDefinitionArn = (env: EcsEnv, revision: number) => `${at("ecs")}task-definition/${name(env)}:${revision}`;
export const targetGroupArn = (env: EcsEnv, color: "blue" | "green") => `${at("elasticloadbalancing")}targetgroup/${name(env)}-${color}/${color === "blue" ? "1a2b3c4d5e6f7a8b" : "8b7a6f5e4d3c2b1a"}`;
export const ruleArn = (env: EcsEnv, kind: "prod" | "test") =>
  `${at("elasticloadbalancing")}listener-rule/app/${name(env)}-alb/50dc6c495c0c9188/${kind === "prod" ? "f2f7dc8efc522ab2" : "0467ef3c8400ae65"}/${kind === "prod" ? "9683b2d02a6cabee" : "2a6cabee9683b2d0"}`;
export const deploymentArn = (env: EcsEnv, id: string) => `${at("ecs")}service-deployment/${name(env)}/${name(env)}/${id}`;
export const revisionArn = (env: EcsEnv, id: string) => `${at("ecs")}service-revision/${name(env)}/${name(env)}/${id}`;
export const hookArn = (env: EcsEnv) => `${at("lambda")}function:CodeDeployHook_${name(env)}`;
export const alarmNames = (env: EcsEnv) => ["blue-target-5xx", "blue-unhealthy-hosts", "green-target-5xx", "green-unhealthy-hosts"].map((a) => `${name(env)}-${a}`);

/** The service as ECS describes it: ECS controller, BLUE_GREEN, production on blue, listener rules of the env's ALB. */
export function ecsService(env: EcsEnv, overrides: Partial<Service> = {}): Service {
  return {
    serviceName: name(env),
    status: "ACTIVE",
    desiredCount: 2,
    runningCount: 2,
    taskDefinition: taskDefinitionArn(env, LIVE_REVISION[env]),
    deploymentController: { type: "ECS" },
    loadBalancers: [
      {
        targetGroupArn: targetGroupArn(env, "blue"),
        containerName: "app",
        containerPort: 8080,
        advancedConfiguration: {
          alternateTargetGroupArn: targetGroupArn(env, "green"),
          productionListenerRule: ruleArn(env, "prod"),
          testListenerRule: ruleArn(env, "test"),
          roleArn: `arn:aws:iam::${ACCOUNT}:role/${name(env)}-ecs-infrastructure`,
        },
      },
    ],
    deploymentConfiguration: {
      strategy: "BLUE_GREEN",
      bakeTimeInMinutes: env === "prod" ? 15 : 5,
      lifecycleHooks: [{ hookTargetArn: hookArn(env), roleArn: `arn:aws:iam::${ACCOUNT}:role/${name(env)}-hook`, lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"] }],
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: alarmNames(env), enable: true, rollback: true },
    },
    ...overrides,
  };
}

/** A listener rule forwarding to blue and green with these weights. */
export function rule(env: EcsEnv, kind: "prod" | "test", blue: number, green: number): Rule {
  return {
    RuleArn: ruleArn(env, kind),
    Priority: "10",
    Actions: [
      {
        Type: "forward",
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: targetGroupArn(env, "blue"), Weight: blue },
            { TargetGroupArn: targetGroupArn(env, "green"), Weight: green },
          ],
        },
      },
    ],
  };
}

/** Both environments live: services, task definitions (image in ECR), production rules on blue, test on green. */
export function liveEcsEnvironments(mocks: Mocks): void {
  for (const env of ["staging", "prod"] as const) {
    mocks.ecs.on(DescribeServicesCommand, { cluster: name(env), services: [name(env)] }).resolves({ services: [ecsService(env)] });
    mocks.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: taskDefinitionArn(env, LIVE_REVISION[env]) }).resolves({
      taskDefinition: {
        taskDefinitionArn: taskDefinitionArn(env, LIVE_REVISION[env]),
        family: name(env),
        containerDefinitions: [{ name: "app", image: `${REPOSITORY}:7d1e0f2`, portMappings: [{ containerPort: 8080 }] }],
      },
    });
    mocks.elbv2.on(DescribeRulesCommand, { RuleArns: [ruleArn(env, "prod"), ruleArn(env, "test")] }).resolves({ Rules: [rule(env, "prod", 100, 0), rule(env, "test", 0, 100)] });
    // The URL (ops/url.ts): the ALB by name, its production listener HTTP:80.
    const albArn = `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/${name(env)}-alb/0123456789abcdef`;
    mocks.elbv2.on(DescribeLoadBalancersCommand, { Names: [`${name(env)}-alb`] }).resolves({ LoadBalancers: [{ LoadBalancerArn: albArn, DNSName: `${name(env)}-alb-1234567890.eu-west-1.elb.amazonaws.com` }] });
    mocks.elbv2.on(DescribeListenersCommand, { LoadBalancerArn: albArn }).resolves({ Listeners: [{ LoadBalancerArn: albArn, Port: 80, Protocol: "HTTP" }] });
    inFlightDeployments(mocks, env, []);
    endedDeployments(mocks, env, []);
  }
  mocks.ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ repositoryName: "catalog", imageTags: ["7d1e0f2"], imageDigest: DIGEST }] });
}

/** ListServiceDeployments for the in-flight statuses answers these ids. */
export function inFlightDeployments(mocks: Mocks, env: EcsEnv, ids: readonly string[]): void {
  mocks.ecs
    .on(ListServiceDeploymentsCommand, { cluster: name(env), service: name(env), status: [...IN_FLIGHT] })
    .resolves({ serviceDeployments: ids.map((id) => ({ serviceDeploymentArn: deploymentArn(env, id), status: "IN_PROGRESS", createdAt: new Date(START) })) });
}

/** ListServiceDeployments for the ended statuses answers these (id, status, minutes ago). */
export function endedDeployments(mocks: Mocks, env: EcsEnv, deployments: readonly { id: string; status: ServiceDeploymentStatus; minutesAgo: number }[]): void {
  mocks.ecs.on(ListServiceDeploymentsCommand, { cluster: name(env), service: name(env), status: [...ENDED] }).resolves({
    serviceDeployments: deployments.map((d) => ({
      serviceDeploymentArn: deploymentArn(env, d.id),
      status: d.status,
      createdAt: new Date(START - d.minutesAgo * 60_000),
      finishedAt: new Date(START - (d.minutesAgo - 10) * 60_000),
    })),
  });
}

export interface EcsMoment {
  readonly status: ServiceDeploymentStatus;
  readonly stage?: ServiceDeploymentLifecycleStage;
  /** Production traffic on the new revision. */
  readonly traffic?: number;
  readonly hook?: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  /** Alarms ECS saw fire. */
  readonly alarms?: readonly string[];
  /** Failed tasks the circuit breaker counted, when it tripped. */
  readonly breakerFailures?: number;
  readonly reason?: string;
  readonly rollbackReason?: string;
}

export function serviceDeployment(env: EcsEnv, id: string, moment: EcsMoment): ServiceDeployment {
  const ended = (ENDED as readonly string[]).includes(moment.status);
  return {
    serviceDeploymentArn: deploymentArn(env, id),
    serviceArn: `${at("ecs")}service/${name(env)}/${name(env)}`,
    clusterArn: `${at("ecs")}cluster/${name(env)}`,
    createdAt: new Date(START),
    finishedAt: ended ? new Date(START) : undefined,
    status: moment.status,
    statusReason: moment.reason,
    lifecycleStage: moment.stage,
    targetServiceRevision: { arn: revisionArn(env, `new-${id}`), requestedTaskCount: 2, runningTaskCount: 2, requestedProductionTrafficWeight: moment.traffic ?? 0 },
    sourceServiceRevisions: [{ arn: revisionArn(env, "live"), requestedTaskCount: 2, runningTaskCount: 2, requestedProductionTrafficWeight: 100 - (moment.traffic ?? 0) }],
    lifecycleHookDetails: moment.hook ? [{ hookId: "hook-1", targetType: "AWS_LAMBDA", targetArn: hookArn(env), status: moment.hook }] : [],
    alarms: { status: moment.alarms ? "TRIGGERED" : "MONITORING", alarmNames: alarmNames(env), triggeredAlarmNames: moment.alarms ? [...moment.alarms] : [] },
    deploymentCircuitBreaker: moment.breakerFailures ? { status: "TRIGGERED", failureCount: moment.breakerFailures, threshold: 3 } : { status: "MONITORING", failureCount: 0, threshold: 3 },
    rollback: moment.rollbackReason ? { reason: moment.rollbackReason, startedAt: new Date(START), serviceRevisionArn: revisionArn(env, "live") } : undefined,
  };
}

/** The service deployment goes through `moments`, one per poll (the last one repeats). */
export function ecsDeploymentGoesThrough(mocks: Mocks, env: EcsEnv, id: string, moments: readonly EcsMoment[]): void {
  const describe = mocks.ecs.on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [deploymentArn(env, id)] });
  for (const moment of moments) describe.resolvesOnce({ serviceDeployments: [serviceDeployment(env, id, moment)] });
  describe.resolves({ serviceDeployments: [serviceDeployment(env, id, moments[moments.length - 1])] });
}

export const ECS_SUCCESS_PATH: readonly EcsMoment[] = [
  { status: "PENDING" },
  { status: "IN_PROGRESS", stage: "SCALE_UP" },
  { status: "IN_PROGRESS", stage: "POST_TEST_TRAFFIC_SHIFT", hook: "IN_PROGRESS" },
  { status: "IN_PROGRESS", stage: "PRODUCTION_TRAFFIC_SHIFT", traffic: 100, hook: "SUCCEEDED" },
  { status: "IN_PROGRESS", stage: "BAKE_TIME", traffic: 100, hook: "SUCCEEDED" },
  { status: "SUCCESSFUL", stage: "CLEAN_UP", traffic: 100, hook: "SUCCEEDED" },
];
