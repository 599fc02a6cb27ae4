/** CodeDeploy responses for an ECS blue/green deployment at a given point, typed with the SDK's own shapes. */
import {
  BatchGetDeploymentTargetsCommand,
  BatchGetDeploymentTargetsCommandOutput,
  DeploymentInfo,
  DeploymentStatus,
  ErrorCode,
  GetDeploymentCommand,
  LifecycleEvent,
  LifecycleEventStatus,
  ListDeploymentTargetsCommand,
} from "@aws-sdk/client-codedeploy";
import { DescribeAlarmsCommand, StateValue } from "@aws-sdk/client-cloudwatch";
import { Mocks, START } from "./harness";

const ECS_EVENTS = ["BeforeInstall", "Install", "AfterInstall", "AllowTestTraffic", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic"];

export interface Moment {
  readonly status: DeploymentStatus;
  /** Green task set's share of production traffic. */
  readonly traffic?: number;
  /** Events up to this one have succeeded; this one has `stepStatus`. */
  readonly step?: string;
  readonly stepStatus?: LifecycleEventStatus;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
  readonly rollback?: string;
}

export function deploymentInfo(id: string, group: string, moment: Moment, createdMinutesAgo = 0): DeploymentInfo {
  const ended = moment.status === "Succeeded" || moment.status === "Failed" || moment.status === "Stopped";
  return {
    deploymentId: id,
    applicationName: "bluegreen-demo",
    deploymentGroupName: group,
    status: moment.status,
    createTime: new Date(START - createdMinutesAgo * 60_000),
    completeTime: ended ? new Date(START) : undefined,
    errorInformation: moment.error ? { code: moment.error.code, message: moment.error.message } : undefined,
    rollbackInfo: moment.rollback ? { rollbackMessage: moment.rollback } : undefined,
  };
}

export function targets(id: string, group: string, moment: Moment): BatchGetDeploymentTargetsCommandOutput {
  const stepIndex = moment.step ? ECS_EVENTS.indexOf(moment.step) : -1;
  const events: LifecycleEvent[] = ECS_EVENTS.map((name, i) => ({
    lifecycleEventName: name,
    status: i < stepIndex ? "Succeeded" : i === stepIndex ? (moment.stepStatus ?? "InProgress") : "Pending",
  }));
  return {
    $metadata: {},
    deploymentTargets: [
      {
        deploymentTargetType: "ECSTarget",
        ecsTarget: {
          deploymentId: id,
          targetId: `${group}:${group}`,
          lifecycleEvents: events,
          taskSetsInfo: [
            { taskSetLabel: "Blue", trafficWeight: 100 - (moment.traffic ?? 0), status: "PRIMARY" },
            { taskSetLabel: "Green", trafficWeight: moment.traffic ?? 0, status: "ACTIVE" },
          ],
        },
      },
    ],
  };
}

/** The deployment goes through `moments`, one per poll (the last one repeats). */
export function deploymentGoesThrough(mocks: Mocks, id: string, group: string, moments: readonly Moment[]): void {
  const get = mocks.codedeploy.on(GetDeploymentCommand, { deploymentId: id });
  const batch = mocks.codedeploy.on(BatchGetDeploymentTargetsCommand, { deploymentId: id });
  for (const moment of moments) {
    get.resolvesOnce({ deploymentInfo: deploymentInfo(id, group, moment) });
    batch.resolvesOnce(targets(id, group, moment));
  }
  const last = moments[moments.length - 1];
  get.resolves({ deploymentInfo: deploymentInfo(id, group, last) });
  batch.resolves(targets(id, group, last));
  mocks.codedeploy.on(ListDeploymentTargetsCommand, { deploymentId: id }).resolves({ targetIds: [`${group}:${group}`] });
}

/** The group's four alarms, all in `state` except `firing` (ALARM). */
export function alarms(mocks: Mocks, env: string, firing?: string, state: StateValue = "OK"): void {
  const names = ["blue-target-5xx", "blue-unhealthy-hosts", "green-target-5xx", "green-unhealthy-hosts"].map((n) => `bluegreen-demo-${env}-${n}`);
  mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: names.map((AlarmName) => ({ AlarmName, StateValue: AlarmName === firing ? "ALARM" : state })) });
}

export const SUCCESS_PATH: readonly Moment[] = [
  { status: "InProgress", step: "Install", traffic: 0 },
  { status: "InProgress", step: "AfterAllowTestTraffic", traffic: 0 },
  { status: "InProgress", step: "AllowTraffic", traffic: 20 },
  { status: "InProgress", step: "AllowTraffic", traffic: 20 },
  { status: "InProgress", step: "AfterAllowTraffic", traffic: 100 },
  { status: "Succeeded", step: "AfterAllowTraffic", stepStatus: "Succeeded", traffic: 100 },
];
