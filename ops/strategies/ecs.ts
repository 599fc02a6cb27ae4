/**
 * Environments ECS deploys itself (ECS deployment controller, strategy BLUE_GREEN, LINEAR or CANARY): the pipeline's
 * release project registers the revision and calls UpdateService; ECS runs a service deployment that reweights the
 * production and test listener rules. `stop` is StopServiceDeployment (ROLLBACK, the one stop type ECS honours);
 * `rollback` stops the deployment in flight that way, or else updates the service back to the task definition of the
 * previous successful service revision.
 */
import { Service, StopServiceDeploymentCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { DescribeRulesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { EcsNativeDescriptor } from "../../synthesized/descriptor";
import { liveService, shortTaskDefinition } from "../ecs";
import { ExitCode, OpsError } from "../errors";
import { EnvironmentTarget } from "../project";
import { Session } from "../session";
import {
  deploymentArn,
  deploymentId,
  describeServiceDeployment,
  describeServiceRevisions,
  ecsOutcome,
  ecsSnapshot,
  ENDED,
  IN_FLIGHT,
  listServiceDeployments,
} from "./ecs-deployments";
import { alarmStates, forwardRoute, targetGroupName } from "./shared";
import { ChangePlan, CheckResult, DeploymentSnapshot, EnvironmentStrategy, Followed, Look, RouteStatus, StrategyStatus } from "./strategy";

/** How many recent successful service deployments `rollback` looks through for an earlier task definition. */
const HISTORY_LIMIT = 25;

type Outcome = (s: DeploymentSnapshot) => Look["ended"];

export class EcsStrategy implements EnvironmentStrategy {
  readonly deployer: string;
  readonly wiring = "ECS blue/green";

  constructor(
    private readonly session: Session,
    private readonly env: EnvironmentTarget,
    private readonly strategy: EcsNativeDescriptor,
  ) {
    this.deployer = `${env.serviceName}, ECS ${strategy.ecsStrategy}`;
  }

  async inFlight(): Promise<string | undefined> {
    const [newest] = await listServiceDeployments(this.session, this.env, IN_FLIGHT);
    return newest?.serviceDeploymentArn ? deploymentId(newest.serviceDeploymentArn) : undefined;
  }

  follow(id: string, outcome: Outcome = ecsOutcome): Followed {
    return {
      id: deploymentId(id),
      look: async () => {
        const s = ecsSnapshot(await describeServiceDeployment(this.session, this.env, id), this.strategy);
        return { snapshot: s, alarms: await alarmStates(this.session, this.env), ended: outcome(s) };
      },
    };
  }

  async status(): Promise<StrategyStatus> {
    const { service } = await liveService(this.session, this.env);
    const [production, test] = await this.routes(service);
    const inFlight = await this.inFlight();
    const deployment = inFlight ? ecsSnapshot(await describeServiceDeployment(this.session, this.env, inFlight), this.strategy) : undefined;
    const last = deployment ? undefined : (await listServiceDeployments(this.session, this.env, ENDED))[0];
    return {
      production,
      test,
      deployment,
      lastDeployment: last?.serviceDeploymentArn ? { id: deploymentId(last.serviceDeploymentArn), status: last.status ?? "Unknown", endTime: last.finishedAt } : undefined,
    };
  }

  /** The weights of the production and test listener rules ECS reweights; before those exist, the live target group. */
  private async routes(service: Service): Promise<(RouteStatus | undefined)[]> {
    const balancer = service.loadBalancers?.[0];
    const rules = [balancer?.advancedConfiguration?.productionListenerRule, balancer?.advancedConfiguration?.testListenerRule];
    const arns = rules.filter((arn): arn is string => arn !== undefined);
    if (arns.length === 0) {
      const live = balancer?.targetGroupArn;
      return [live ? { port: this.env.prodListenerPort, targetGroups: [{ name: targetGroupName(live), weight: 100 }] } : undefined, undefined];
    }
    const out = await this.session.clients.elbv2.send(new DescribeRulesCommand({ RuleArns: arns }));
    const ports = [this.env.prodListenerPort, this.env.testListenerPort];
    return rules.map((arn, i) => {
      const rule = out.Rules?.find((r) => r.RuleArn === arn);
      return rule ? forwardRoute(rule.Actions, ports[i]) : undefined;
    });
  }

  planStop(id: string, rollback: boolean): ChangePlan<string> {
    if (!rollback) {
      throw new OpsError(
        ExitCode.Usage,
        `${this.env.name} deploys with ECS, which stops a service deployment only by rolling it back (StopServiceDeployment ROLLBACK); drop --no-rollback`,
      );
    }
    return {
      description: `will stop service deployment ${deploymentId(id)} of ${this.env.serviceName} in ${this.env.name} and roll back (ECS returns production traffic to the previous revision)`,
      apply: async () => {
        await this.stopWithRollback(id);
        return "stop requested: ECS is rolling back to the previous revision";
      },
    };
  }

  private async stopWithRollback(id: string): Promise<void> {
    await this.session.clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: deploymentArn(this.session, this.env, id), stopType: "ROLLBACK" }));
  }

  async planRollback(): Promise<ChangePlan<Followed>> {
    const running = await this.inFlight();
    return running ? this.rollbackInFlight(running) : this.redeployPrevious();
  }

  /** A deployment in flight: stopping it with ROLLBACK is the rollback; it succeeded when ECS rolled it back. */
  private rollbackInFlight(id: string): ChangePlan<Followed> {
    const rolledBack: Outcome = (s) => {
      if (s.status === "ROLLBACK_SUCCESSFUL") return { code: ExitCode.Ok, summary: "rolled back to the previous revision" };
      if (s.status === "SUCCESSFUL") return { code: ExitCode.DeploymentFailed, summary: "the deployment completed before the stop took effect; run rollback again" };
      return ecsOutcome(s);
    };
    return {
      description: `will stop service deployment ${id} in flight in ${this.env.name} (${this.env.serviceName}) and roll it back: ECS returns production traffic to the previous revision`,
      apply: async () => {
        await this.stopWithRollback(id);
        this.session.runtime.stdout.write(`stop requested with rollback for service deployment ${id}\n`);
        return this.follow(id, rolledBack);
      },
    };
  }

  /** Nothing in flight: UpdateService to the task definition of the newest earlier successful service revision. */
  private async redeployPrevious(): Promise<ChangePlan<Followed>> {
    const { env, session } = this;
    const { taskDefinition: live } = await liveService(session, env);
    if (!live) throw new OpsError(ExitCode.NotDeployed, `not deployed: ${env.serviceName} has no task definition`);
    const previous = await this.previousRevision(live);
    return {
      description: `will update ECS service ${env.serviceName} in ${env.name} to ${shortTaskDefinition(previous.taskDefinition)} (from service deployment ${previous.deploymentId}), replacing ${shortTaskDefinition(live)}; traffic shifts as the service's ${this.strategy.ecsStrategy} strategy says`,
      apply: async () => {
        const out = await session.clients.ecs.send(new UpdateServiceCommand({ cluster: env.clusterName, service: env.serviceName, taskDefinition: previous.taskDefinition }));
        const started = out.service?.currentServiceDeployment ?? (await this.inFlight());
        if (!started) throw new OpsError(ExitCode.Unexpected, `UpdateService of ${env.serviceName} started no service deployment`);
        session.runtime.stdout.write(`started service deployment ${deploymentId(started)}\n`);
        return this.follow(started);
      },
    };
  }

  private async previousRevision(live: string): Promise<{ deploymentId: string; taskDefinition: string }> {
    const succeeded = (await listServiceDeployments(this.session, this.env, ["SUCCESSFUL"])).slice(0, HISTORY_LIMIT);
    const revisions = await describeServiceRevisions(
      this.session,
      succeeded.map((d) => d.targetServiceRevisionArn).filter((arn): arn is string => arn !== undefined),
    );
    for (const deployment of succeeded) {
      const taskDefinition = revisions.find((r) => r.serviceRevisionArn === deployment.targetServiceRevisionArn)?.taskDefinition;
      if (taskDefinition && taskDefinition !== live) return { deploymentId: deploymentId(deployment.serviceDeploymentArn ?? ""), taskDefinition };
    }
    throw new OpsError(
      ExitCode.NothingInFlight,
      `no earlier successful service deployment of ${this.env.serviceName} with another task definition than ${shortTaskDefinition(live)} (looked at ${succeeded.length})`,
    );
  }

  /** The service runs on ECS blue/green as synthesized: strategy, bake time, target groups, listener rules, hooks, rollback triggers. */
  async verify(): Promise<CheckResult> {
    const { env, strategy } = this;
    const { service } = await liveService(this.session, env);
    const config = service.deploymentConfiguration;
    const balancer = service.loadBalancers?.[0];
    const advanced = balancer?.advancedConfiguration;
    const problems: string[] = [];
    const controller = service.deploymentController?.type ?? "ECS";
    if (controller !== "ECS") problems.push(`deployment controller is ${controller}, expected ECS`);
    if (config?.strategy !== strategy.ecsStrategy) problems.push(`strategy is ${config?.strategy ?? "ROLLING"}, expected ${strategy.ecsStrategy}`);
    if (config?.bakeTimeInMinutes !== strategy.bakeTimeMinutes) problems.push(`bake time is ${config?.bakeTimeInMinutes ?? "-"} min, expected ${strategy.bakeTimeMinutes}`);
    const live = [balancer?.targetGroupArn, advanced?.alternateTargetGroupArn].map((arn) => (arn ? targetGroupName(arn) : "")).sort();
    const expected = env.targetGroups.map((tg) => tg.name).sort();
    if (live.join(",") !== expected.join(",")) problems.push(`target groups are ${live.filter(Boolean).join(", ") || "none"}, expected ${expected.join(", ")}`);
    for (const [kind, rule] of [["production", advanced?.productionListenerRule], ["test", advanced?.testListenerRule]] as const) {
      if (!rule?.includes(`:listener-rule/app/${env.loadBalancerName}/`)) problems.push(`${kind} listener rule is ${rule ?? "missing"}, expected one on ${env.loadBalancerName}`);
    }
    const hookTargets = (config?.lifecycleHooks ?? []).map((hook) => hook.hookTargetArn ?? "");
    const missingHooks = strategy.hooks.filter((hook) => !hookTargets.some((arn) => arn.endsWith(`:function:${hook.functionName}`)));
    if (missingHooks.length > 0) problems.push(`lifecycle hook ${missingHooks.map((h) => h.functionName).join(", ")} is not configured`);
    if (strategy.autoRollback.circuitBreaker && !(config?.deploymentCircuitBreaker?.enable && config.deploymentCircuitBreaker.rollback)) problems.push("circuit breaker with rollback is off");
    if (strategy.autoRollback.alarms && !(config?.alarms?.enable && config.alarms.rollback)) problems.push("alarm rollback is off");
    return problems.length === 0
      ? { ok: true, text: `ECS ${strategy.ecsStrategy} of ${env.clusterName}/${env.serviceName}: bake ${strategy.bakeTimeMinutes} min, ${expected.join(" + ")}, listener rules on ${env.loadBalancerName}` }
      : { ok: false, text: `ECS ${strategy.ecsStrategy} of ${env.clusterName}/${env.serviceName}: ${problems.join("; ")}` };
  }
}
