/**
 * Reading CodeDeploy ECS deployments: which one is in flight, and how far it is (status, the share of production
 * traffic on the replacement task set, the lifecycle event in progress, each hook's result, the alarms' state).
 */
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  BatchGetDeploymentTargetsCommand,
  DeploymentInfo,
  DeploymentStatus,
  GetDeploymentCommand,
  LifecycleEvent,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
} from "@aws-sdk/client-codedeploy";
import { EnvironmentTarget } from "./project";
import { Session } from "./session";

/** Statuses of a deployment that has not ended. */
export const IN_FLIGHT_STATUSES: readonly DeploymentStatus[] = ["Created", "Queued", "InProgress", "Baking", "Ready"];


export interface HookResult {
  readonly event: string;
  readonly status: string;
}

export interface AlarmState {
  readonly name: string;
  readonly state: string;
}

/** One look at a deployment. */
export interface DeploymentSnapshot {
  readonly id: string;
  readonly status: string;
  /** Share of production traffic on the replacement (green) task set, 0-100; undefined before it exists. */
  readonly trafficPercent?: number;
  /** The lifecycle event in progress (e.g. `AllowTraffic`), or the last one that ran. */
  readonly step?: string;
  readonly hooks: readonly HookResult[];
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** Set when CodeDeploy rolled the deployment back (or is rolling it back). */
  readonly rollbackMessage?: string;
  readonly createTime?: Date;
  readonly completeTime?: Date;
}

/** Every deployment id of a group with one of the statuses, following `nextToken`. */
export async function listDeployments(session: Session, env: EnvironmentTarget, statuses: readonly DeploymentStatus[]): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await session.clients.codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: env.applicationName,
        deploymentGroupName: env.deploymentGroupName,
        includeOnlyStatuses: [...statuses],
        nextToken,
      }),
    );
    ids.push(...(page.deployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}

/** The deployment in flight in an environment, if any (CodeDeploy runs one at a time per group). */
export async function inFlightDeployment(session: Session, env: EnvironmentTarget): Promise<string | undefined> {
  return (await listDeployments(session, env, IN_FLIGHT_STATUSES))[0];
}

export async function getDeployment(session: Session, deploymentId: string): Promise<DeploymentInfo> {
  const out = await session.clients.codedeploy.send(new GetDeploymentCommand({ deploymentId }));
  return out.deploymentInfo ?? { deploymentId };
}

/** Status, traffic, step and the results of the environment's appspec hooks (one GetDeployment, the ECS target's progress). */
export async function snapshot(session: Session, env: EnvironmentTarget, deploymentId: string): Promise<DeploymentSnapshot> {
  const hookEvents = new Set(env.hooks.map((hook) => hook.lifecycleEvent));
  const info = await getDeployment(session, deploymentId);
  const target = await ecsTarget(session, deploymentId);
  const events = target?.lifecycleEvents ?? [];
  const green = target?.taskSetsInfo?.find((set) => set.taskSetLabel === "Green");
  return {
    id: deploymentId,
    status: info.status ?? "Unknown",
    trafficPercent: green?.trafficWeight === undefined ? undefined : Math.round(green.trafficWeight),
    step: currentStep(events),
    hooks: events.filter((e) => hookEvents.has(e.lifecycleEventName ?? "")).map((e) => ({ event: e.lifecycleEventName ?? "", status: e.status ?? "Unknown" })),
    errorCode: info.errorInformation?.code,
    errorMessage: info.errorInformation?.message,
    rollbackMessage: info.rollbackInfo?.rollbackMessage ?? (info.rollbackInfo?.rollbackDeploymentId ? `rolled back by ${info.rollbackInfo.rollbackDeploymentId}` : undefined),
    createTime: info.createTime,
    completeTime: info.completeTime,
  };
}

async function ecsTarget(session: Session, deploymentId: string) {
  const targetIds: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await session.clients.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }));
    targetIds.push(...(page.targetIds ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  if (targetIds.length === 0) return undefined;
  const out = await session.clients.codedeploy.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: targetIds.slice(0, 25) }));
  return out.deploymentTargets?.find((t) => t.ecsTarget)?.ecsTarget;
}

function currentStep(events: readonly LifecycleEvent[]): string | undefined {
  const running = events.find((e) => e.status === "InProgress");
  const done = events.filter((e) => e.status === "Succeeded" || e.status === "Failed");
  return running?.lifecycleEventName ?? done[done.length - 1]?.lifecycleEventName;
}

/** The state of each alarm of the deployment group (CloudWatch). */
export async function alarmStates(session: Session, env: EnvironmentTarget): Promise<AlarmState[]> {
  if (env.alarmNames.length === 0) return [];
  const out = await session.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [...env.alarmNames], MaxRecords: 100 }));
  return (out.MetricAlarms ?? []).map((alarm) => ({ name: alarm.AlarmName ?? "", state: alarm.StateValue ?? "INSUFFICIENT_DATA" }));
}
