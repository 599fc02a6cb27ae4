/**
 * Environments a CodeDeploy deployment group deploys (CodeDeployToECS): deployments are CodeDeploy's, traffic
 * moves by rewriting the production and test listeners, `stop` is StopDeployment, `rollback` a new deployment of
 * the previous task definition with the pipeline's appspec.
 */
import { CreateDeploymentCommand, DeploymentInfo, GetApplicationRevisionCommand, GetDeploymentGroupCommand, StopDeploymentCommand } from "@aws-sdk/client-codedeploy";
import { DescribeListenersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CodeDeployDescriptor } from "../../synthesized/descriptor";
import { renderAppSpec, taskDefinitionOf } from "../appspec";
import { liveService, shortTaskDefinition } from "../ecs";
import { ExitCode, OpsError } from "../errors";
import { EnvironmentTarget } from "../project";
import { Session } from "../session";
import { getDeployment, IN_FLIGHT_STATUSES, listDeployments, snapshot } from "./codedeploy-deployments";
import { alarmStates, forwardRoute } from "./shared";
import { ChangePlan, CheckResult, DeploymentSnapshot, EnvironmentStrategy, Followed, RouteStatus, StrategyStatus } from "./strategy";

/** How many recent successful deployments `rollback` looks through for an earlier revision. */
const HISTORY_LIMIT = 25;

export class CodeDeployStrategy implements EnvironmentStrategy {
  readonly deployer: string;
  readonly wiring = "deployment group";

  constructor(
    private readonly session: Session,
    private readonly env: EnvironmentTarget,
    private readonly group: CodeDeployDescriptor,
  ) {
    this.deployer = group.deploymentGroupName;
  }

  async inFlight(): Promise<string | undefined> {
    // CodeDeploy runs one deployment at a time per group.
    return (await listDeployments(this.session, this.group, IN_FLIGHT_STATUSES))[0];
  }

  follow(id: string): Followed {
    return {
      id,
      look: async () => {
        const s = await snapshot(this.session, this.group, id);
        const alarms = await alarmStates(this.session, this.env);
        const code = outcome(s);
        return { snapshot: s, alarms, ended: code === undefined ? undefined : { code, summary: summary(s, code) } };
      },
    };
  }

  async status(): Promise<StrategyStatus> {
    const { codedeploy } = this.session.clients;
    const group = (await codedeploy.send(new GetDeploymentGroupCommand({ applicationName: this.group.applicationName, deploymentGroupName: this.group.deploymentGroupName })))
      .deploymentGroupInfo;
    const pair = group?.loadBalancerInfo?.targetGroupPairInfoList?.[0];
    const [production, test] = await this.routes([pair?.prodTrafficRoute?.listenerArns?.[0], pair?.testTrafficRoute?.listenerArns?.[0]]);
    const inFlight = await this.inFlight();
    const last = group?.lastAttemptedDeployment;
    return {
      production,
      test,
      deployment: inFlight ? await snapshot(this.session, this.group, inFlight) : undefined,
      lastDeployment: last?.deploymentId ? { id: last.deploymentId, status: last.status ?? "Unknown", endTime: last.endTime } : undefined,
    };
  }

  private async routes(listenerArns: readonly (string | undefined)[]): Promise<(RouteStatus | undefined)[]> {
    const arns = listenerArns.filter((arn): arn is string => arn !== undefined);
    if (arns.length === 0) return listenerArns.map(() => undefined);
    const out = await this.session.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: arns }));
    return listenerArns.map((arn) => {
      const listener = out.Listeners?.find((l) => l.ListenerArn === arn);
      return listener ? forwardRoute(listener.DefaultActions, listener.Port) : undefined;
    });
  }

  planStop(id: string, rollback: boolean): ChangePlan<string> {
    const how = rollback ? "and roll back (production traffic returns to the original task set)" : "without rollback (traffic stays where it is now)";
    return {
      description: `will stop deployment ${id} in ${this.env.name} (${this.group.deploymentGroupName}) ${how}`,
      apply: async () => {
        const out = await this.session.clients.codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: rollback }));
        return `stop requested: ${out.status ?? "Pending"}${out.statusMessage ? ` (${out.statusMessage})` : ""}`;
      },
    };
  }

  async planRollback(): Promise<ChangePlan<Followed>> {
    const { env, group, session } = this;
    const running = await this.inFlight();
    if (running) {
      throw new OpsError(ExitCode.Conflict, `deployment ${running} is in flight in ${env.name}; \`npx bluegreen stop --env ${env.name}\` stops it and rolls it back`);
    }
    const { taskDefinition: live } = await liveService(session, env);
    if (!live) throw new OpsError(ExitCode.NotDeployed, `not deployed: ${env.serviceName} has no task definition`);
    const previous = await this.previousRevision(live);
    const hooks = group.hooks.map((hook) => ({ lifecycleEvent: hook.stage, functionName: hook.functionName }));
    const content = renderAppSpec({ containerName: env.containerName, containerPort: env.containerPort, hooks }, previous.taskDefinition);
    return {
      description: `will deploy ${shortTaskDefinition(previous.taskDefinition)} (from ${previous.deploymentId}) to ${env.name} through CodeDeploy group ${group.deploymentGroupName}, replacing ${shortTaskDefinition(live)}; traffic shifts as the group's deployment config says`,
      apply: async () => {
        const created = await session.clients.codedeploy.send(
          new CreateDeploymentCommand({
            applicationName: group.applicationName,
            deploymentGroupName: group.deploymentGroupName,
            revision: { revisionType: "AppSpecContent", appSpecContent: { content } },
            description: `bluegreen rollback to ${shortTaskDefinition(previous.taskDefinition)} by ${session.caller}`,
          }),
        );
        if (!created.deploymentId) throw new OpsError(ExitCode.Unexpected, "CreateDeployment returned no deployment id");
        session.runtime.stdout.write(`created rollback deployment ${created.deploymentId}\n`);
        return this.follow(created.deploymentId);
      },
    };
  }

  /**
   * The appspec a deployment ran with. GetDeployment returns the revision's sha256 but never its content ("the
   * content property of the appSpecContent object in the returned revision is always null", CodeDeploy API
   * reference), so the content comes from GetApplicationRevision.
   */
  private async appSpecOf(info: DeploymentInfo): Promise<string> {
    if (info.revision?.revisionType !== "AppSpecContent") return "";
    const out = await this.session.clients.codedeploy.send(new GetApplicationRevisionCommand({ applicationName: this.group.applicationName, revision: info.revision }));
    return out.revision?.appSpecContent?.content ?? "";
  }

  /** The newest earlier successful deployment whose task definition is not the live one. */
  private async previousRevision(live: string): Promise<{ deploymentId: string; taskDefinition: string }> {
    const ids = (await listDeployments(this.session, this.group, ["Succeeded"])).slice(0, HISTORY_LIMIT);
    const infos: DeploymentInfo[] = [];
    for (const id of ids) infos.push(await getDeployment(this.session, id));
    infos.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
    let withoutAppSpec = 0;
    for (const info of infos) {
      const taskDefinition = taskDefinitionOf(await this.appSpecOf(info));
      if (!taskDefinition) withoutAppSpec++;
      if (taskDefinition && taskDefinition !== live) return { deploymentId: info.deploymentId ?? "", taskDefinition };
    }
    const unreadable = withoutAppSpec > 0 ? `, ${withoutAppSpec} without an appspec naming a task definition` : "";
    throw new OpsError(
      ExitCode.NothingInFlight,
      `no earlier successful deployment of ${this.group.deploymentGroupName} with another task definition than ${shortTaskDefinition(live)} (looked at ${infos.length}${unreadable})`,
    );
  }

  /** The group points at the synthesized ECS service, both target groups, and the production and test listeners. */
  async verify(): Promise<CheckResult> {
    const { env, group: spec, session } = this;
    const group = (await session.clients.codedeploy.send(new GetDeploymentGroupCommand({ applicationName: spec.applicationName, deploymentGroupName: spec.deploymentGroupName })))
      .deploymentGroupInfo;
    const problems: string[] = [];
    const ecs = group?.ecsServices?.[0];
    if (ecs?.clusterName !== env.clusterName || ecs?.serviceName !== env.serviceName) {
      problems.push(`ECS service is ${ecs?.clusterName ?? "-"}/${ecs?.serviceName ?? "-"}, expected ${env.clusterName}/${env.serviceName}`);
    }
    const pair = group?.loadBalancerInfo?.targetGroupPairInfoList?.[0];
    const live = (pair?.targetGroups ?? []).map((tg) => tg.name ?? "").sort();
    const expected = env.targetGroups.map((tg) => tg.name).sort();
    if (live.join(",") !== expected.join(",")) problems.push(`target groups are ${live.join(", ") || "none"}, expected ${expected.join(", ")}`);
    const listeners = [
      ["production", pair?.prodTrafficRoute?.listenerArns?.[0], env.prodListenerPort],
      ["test", pair?.testTrafficRoute?.listenerArns?.[0], env.testListenerPort],
    ] as const;
    const arns = listeners.map(([, arn]) => arn).filter((arn): arn is string => arn !== undefined);
    const described = arns.length > 0 ? await session.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: arns })) : { Listeners: [] };
    for (const [kind, arn, port] of listeners) {
      const listener = described.Listeners?.find((l) => l.ListenerArn === arn);
      const onAlb = (listener?.LoadBalancerArn ?? "").includes(`/app/${env.loadBalancerName}/`);
      if (!listener || listener.Port !== port || !onAlb) problems.push(`${kind} listener is ${listener ? `port ${listener.Port} of ${listener.LoadBalancerArn}` : "missing"}, expected port ${port} of ${env.loadBalancerName}`);
    }
    return problems.length === 0
      ? { ok: true, text: `deployment group ${spec.deploymentGroupName} points at ${env.clusterName}/${env.serviceName}, ${expected.join(" + ")}, listeners :${env.prodListenerPort} and :${env.testListenerPort}` }
      : { ok: false, text: `deployment group ${spec.deploymentGroupName}: ${problems.join("; ")}` };
  }
}

/** The exit code of an ended deployment; undefined while it runs. */
function outcome(s: DeploymentSnapshot): ExitCode | undefined {
  switch (s.status) {
    case "Succeeded":
      return ExitCode.Ok;
    case "Failed":
      return ExitCode.DeploymentFailed;
    case "Stopped":
      // CodeDeploy stops a deployment itself when an alarm fires, then rolls back: that is a failed release.
      return s.errorCode === "ALARM_ACTIVE" ? ExitCode.DeploymentFailed : ExitCode.DeploymentStopped;
    default:
      return undefined;
  }
}

function summary(s: DeploymentSnapshot, code: ExitCode): string {
  const reason = [s.errorCode, s.errorMessage].filter(Boolean).join(": ");
  const rolledBack = s.rollbackMessage ? `; ${s.rollbackMessage}` : "";
  switch (code) {
    case ExitCode.Ok:
      return "Succeeded";
    case ExitCode.DeploymentStopped:
      return `Stopped${reason ? ` (${reason})` : ""}${rolledBack}`;
    default:
      return `${s.status === "Stopped" ? "stopped by an alarm and rolled back" : "Failed"}${reason ? ` (${reason})` : ""}${rolledBack}`;
  }
}
