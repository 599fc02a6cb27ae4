/**
 * Reading CodeDeploy ECS deployments: which one is in flight, and how far it is (status, the share of production
 * traffic on the replacement task set, the lifecycle event in progress, each hook's result).
 */
import {
  BatchGetDeploymentTargetsCommand,
  DeploymentInfo,
  DeploymentStatus,
  GetDeploymentCommand,
  LifecycleEvent,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
} from "@aws-sdk/client-codedeploy";
import { CodeDeployDescriptor } from "../../synthesized/descriptor";
import { Session } from "../session";
import { DeploymentSnapshot } from "./strategy";

/** Statuses of a deployment that has not ended. */
export const IN_FLIGHT_STATUSES: readonly DeploymentStatus[] = ["Created", "Queued", "InProgress", "Baking", "Ready"];

/** Every deployment id of a group with one of the statuses, following `nextToken`. */
export async function listDeployments(session: Session, group: CodeDeployDescriptor, statuses: readonly DeploymentStatus[]): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await session.clients.codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: group.applicationName,
        deploymentGroupName: group.deploymentGroupName,
        includeOnlyStatuses: [...statuses],
        nextToken,
      }),
    );
    ids.push(...(page.deployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}

export async function getDeployment(session: Session, deploymentId: string): Promise<DeploymentInfo> {
  const out = await session.clients.codedeploy.send(new GetDeploymentCommand({ deploymentId }));
  return out.deploymentInfo ?? { deploymentId };
}

/** Status, traffic, step and the results of the appspec hooks (one GetDeployment, the ECS target's progress). */
export async function snapshot(session: Session, group: CodeDeployDescriptor, deploymentId: string): Promise<DeploymentSnapshot> {
  const hookEvents = new Set(group.hooks.map((hook) => hook.stage));
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
