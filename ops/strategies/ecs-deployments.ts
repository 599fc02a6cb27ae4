/**
 * Reading ECS service deployments (ECS deployment controller, BLUE_GREEN / LINEAR / CANARY): which one is in
 * flight, how far it is, and how it ended. Shapes and status words are the SDK's (ServiceDeployment,
 * ServiceDeploymentStatus in @aws-sdk/client-ecs); the states are those of "View service history using Amazon
 * ECS service deployments" in the ECS developer guide.
 */
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceDeploymentStatus,
  ServiceRevision,
} from "@aws-sdk/client-ecs";
import { EcsNativeDescriptor } from "../../synthesized/descriptor";
import { ExitCode, OpsError } from "../errors";
import { EnvironmentTarget } from "../project";
import { Session } from "../session";
import { DeploymentSnapshot } from "./strategy";

/** Pending or ongoing: ECS may still move traffic (or move it back). */
export const IN_FLIGHT: readonly ServiceDeploymentStatus[] = ["PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"];
/** Completed, successfully or not. */
export const ENDED: readonly ServiceDeploymentStatus[] = ["SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"];

/** The id inside `arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>`. */
export function deploymentId(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/** The ARN of a deployment of the environment's service, from its id (or the ARN itself). */
export function deploymentArn(session: Session, env: EnvironmentTarget, id: string): string {
  if (id.startsWith("arn:")) return id;
  const region = session.service.region;
  const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:ecs:${region}:${session.account}:service-deployment/${env.clusterName}/${env.serviceName}/${id}`;
}

/** The service's deployments with one of the statuses, every page, newest first. */
export async function listServiceDeployments(session: Session, env: EnvironmentTarget, statuses: readonly ServiceDeploymentStatus[]): Promise<ServiceDeploymentBrief[]> {
  const found: ServiceDeploymentBrief[] = [];
  let nextToken: string | undefined;
  do {
    const page = await session.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: env.clusterName, service: env.serviceName, status: [...statuses], nextToken }));
    found.push(...(page.serviceDeployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return found.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

export async function describeServiceDeployment(session: Session, env: EnvironmentTarget, id: string): Promise<ServiceDeployment> {
  const arn = deploymentArn(session, env, id);
  const out = await session.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  const found = out.serviceDeployments?.find((d) => d.serviceDeploymentArn === arn) ?? out.serviceDeployments?.[0];
  if (!found) {
    const reason = out.failures?.[0]?.reason;
    throw new OpsError(ExitCode.NothingInFlight, `no service deployment ${id} of ${env.serviceName}${reason ? ` (${reason})` : ""}; \`bluegreen status --env ${env.name}\` shows the last one`);
  }
  return found;
}

/** Service revisions by ARN (DescribeServiceRevisions takes at most 20 per call). */
export async function describeServiceRevisions(session: Session, arns: readonly string[]): Promise<ServiceRevision[]> {
  const revisions: ServiceRevision[] = [];
  for (let i = 0; i < arns.length; i += 20) {
    const out = await session.clients.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: arns.slice(i, i + 20) }));
    revisions.push(...(out.serviceRevisions ?? []));
  }
  return revisions;
}

const functionName = (arn: string | undefined) => (arn ?? "").replace(/^arn:[^:]+:lambda:[^:]*:\d*:function:/, "").replace(/:[^:]+$/, "");

/** The deployment in the words every strategy uses; `errorCode` names what failed it (an alarm, the circuit breaker, a hook). */
export function ecsSnapshot(d: ServiceDeployment, strategy: EcsNativeDescriptor): DeploymentSnapshot {
  const details = d.lifecycleHookDetails ?? [];
  const hooks = strategy.hooks.map((hook) => ({
    event: hook.stage,
    status: details.find((detail) => functionName(detail.targetArn) === hook.functionName)?.status ?? "-",
  }));
  const traffic = d.targetServiceRevision?.requestedProductionTrafficWeight;
  const cause = failureCause(d);
  return {
    id: deploymentId(d.serviceDeploymentArn ?? ""),
    status: d.status ?? "Unknown",
    trafficPercent: traffic === undefined ? undefined : Math.round(traffic),
    step: d.lifecycleStage,
    hooks,
    errorCode: cause?.code,
    errorMessage: cause ? [cause.text, d.statusReason].filter(Boolean).join("; ") : d.statusReason,
    rollbackMessage: d.rollback ? `rolled back${d.rollback.reason ? `: ${d.rollback.reason}` : ""}` : undefined,
    createTime: d.createdAt,
    completeTime: d.finishedAt ?? d.stoppedAt,
  };
}

/** What made ECS fail the deployment, if anything did (a person's stop is not a failure). */
function failureCause(d: ServiceDeployment): { code: string; text: string } | undefined {
  if (d.alarms?.status === "TRIGGERED" || (d.alarms?.triggeredAlarmNames ?? []).length > 0) {
    return { code: "ALARM", text: `alarm ${(d.alarms?.triggeredAlarmNames ?? []).join(", ") || "?"} fired` };
  }
  if (d.deploymentCircuitBreaker?.status === "TRIGGERED") {
    return { code: "CIRCUIT_BREAKER", text: `the circuit breaker counted ${d.deploymentCircuitBreaker.failureCount ?? "?"} failed tasks (threshold ${d.deploymentCircuitBreaker.threshold ?? "?"})` };
  }
  const hook = d.lifecycleHookDetails?.find((h) => h.status === "FAILED" || h.status === "TIMED_OUT");
  if (hook) return { code: "HOOK_FAILED", text: `hook ${functionName(hook.targetArn)} ${hook.status}` };
  return undefined;
}

/**
 * How an ended deployment reads as `wait`'s exit code: SUCCESSFUL 0; rolled back or stopped because an alarm, the
 * circuit breaker or a hook failed it 3 (so is a failed rollback); rolled back or stopped with no failure, i.e. by a
 * person (StopServiceDeployment, the console) 4. Undefined while it runs.
 */
export function ecsOutcome(s: DeploymentSnapshot): { code: ExitCode; summary: string } | undefined {
  const reason = s.errorMessage ? `: ${s.errorMessage}` : "";
  switch (s.status) {
    case "SUCCESSFUL":
      return { code: ExitCode.Ok, summary: "Succeeded" };
    case "ROLLBACK_FAILED":
      return { code: ExitCode.DeploymentFailed, summary: `Failed and its rollback failed (ROLLBACK_FAILED${reason})` };
    case "ROLLBACK_SUCCESSFUL":
    case "STOPPED": {
      const how = s.status === "STOPPED" ? "stopped" : "rolled back";
      if (s.errorCode) return { code: ExitCode.DeploymentFailed, summary: `Failed and ${how} (${s.errorCode}${reason})` };
      return { code: ExitCode.DeploymentStopped, summary: `Stopped and ${how} by someone (${s.status}${reason})` };
    }
    default:
      return undefined;
  }
}
