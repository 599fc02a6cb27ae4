/**
 * The ECS-native strategy (`deploy.strategy: ecs`): the service keeps the ECS deployment controller and ECS itself
 * deploys each release with its BLUE_GREEN, LINEAR or CANARY strategy, moving traffic by reweighting one listener
 * rule per listener (so services can share an ALB), running the smoke test as a lifecycle hook, baking, and rolling
 * back on the alarms or the deployment circuit breaker. The pipeline's deploy action is a release step of its own
 * (`EcsServiceRelease`) that registers the complete revision the build rendered and calls UpdateService.
 */
import { EcsServiceConfig, EcsServiceDeploymentConfiguration } from "@cdktf/provider-aws/lib/ecs-service";
import { Construct } from "constructs";
import { ArtifactBucket } from "../../delivery/artifact-bucket";
import { BlueGreenService, ServiceShape } from "../../runtime/blue-green-service";
import { RenderTarget, renderTargetOf } from "../../delivery/build/deploy-artifacts";
import { EcsNativeTrafficRouting, EcsNativeBlueGreenSettings, ListenerRuleRoute, MAX_BAKE_TIME_MINUTES } from "./ecs-native-traffic-routing";
import { EcsServiceRelease, MAX_RELEASE_TIMEOUT_MINUTES, releaseProjectName } from "../../delivery/targets/ecs-service-release";
import { ARTIFACTS, DeployBinding, DeployFile } from "../../delivery/pipeline-seam";
import { HookProtocol } from "../../runtime/smoke-test-hook";
import { EcsNativeDescriptor } from "../../../synthesized/descriptor";
import { DeployStrategy, EnvironmentDeployment, PreparedStrategy, StrategyEnvironment } from "./deploy-strategy";

/** The ECS lifecycle stage the smoke test runs at: test traffic already reaches the new revision. */
export const ECS_HOOK_STAGE = "POST_TEST_TRAFFIC_SHIFT";

/** ECS invokes the hook with the hook role and reads its returned `hookStatus`: the hook reports nothing itself. */
export const ECS_HOOK_PROTOCOL: HookProtocol = {
  handler: "index.ecsHandler",
  stage: ECS_HOOK_STAGE,
  description: `ECS ${ECS_HOOK_STAGE} hook`,
  reportingStatements: [],
};

/**
 * How production traffic moves (ECS DeploymentConfiguration): all at once after the test stage (BLUE_GREEN), in equal
 * steps (LINEAR: `stepPercent` every `stepMinutes`), or one canary step then the rest (CANARY).
 */
export type EcsTraffic =
  | { readonly type: "all-at-once" }
  | { readonly type: "linear"; readonly stepPercent: number; readonly stepMinutes: number }
  | { readonly type: "canary"; readonly canaryPercent: number; readonly canaryMinutes: number };

export interface EcsNativeStrategyProps {
  /** Minutes both revisions keep running after all production traffic moved (0-1440). */
  readonly bakeTimeMinutes: number;
  /** @default { type: "all-at-once" } */
  readonly traffic?: EcsTraffic;
  /**
   * Which requests the service's listener rules take (a shared ALB).
   * @default - priority 1, every path
   */
  readonly route?: ListenerRuleRoute;
  /**
   * Minutes above the modelled traffic shift and bake time the release step waits before it fails.
   * @default 60
   */
  readonly releaseSlackMinutes?: number;
}

export class EcsNativeStrategy implements DeployStrategy {
  public readonly kind = "ecs" as const;
  /** Listener rules, not listeners: services of an environment may share its ALB. */
  public readonly sharesLoadBalancer = true;
  public readonly hookProtocol = ECS_HOOK_PROTOCOL;
  private readonly traffic: EcsTraffic;

  constructor(private readonly props: EcsNativeStrategyProps) {
    this.traffic = props.traffic ?? { type: "all-at-once" };
    validateTraffic(this.traffic);
  }

  public prepare(scope: Construct, environment: StrategyEnvironment): PreparedStrategy {
    // Construct id `Deployment`: the rules' and roles' addresses predate this unit.
    const control = new EcsNativeTrafficRouting(scope, "Deployment", {
      name: environment.name,
      loadBalancer: environment.loadBalancer,
      bakeTimeMinutes: this.props.bakeTimeMinutes,
      hookStage: ECS_HOOK_STAGE,
      alarms: environment.alarms,
      smokeTestHook: environment.smokeTestHook,
      route: this.props.route,
    });
    const settings = control.serviceSettings();
    return {
      serviceArguments: (service) => this.serviceArguments(service, settings),
      deploy: (_scope, service) =>
        new EcsNativeDeployment(control, environment.name, service, this.traffic, this.props.releaseSlackMinutes ?? 60),
    };
  }

  /** The ECS controller with the configured strategy; what ECS rewrites on each release is ignored by Terraform. */
  private serviceArguments(service: ServiceShape, settings: EcsNativeBlueGreenSettings): Partial<EcsServiceConfig> {
    const lb = service.loadBalancer;
    return {
      deploymentController: { type: "ECS" },
      deploymentConfiguration: {
        ...deploymentStrategy(this.traffic),
        bakeTimeInMinutes: String(this.props.bakeTimeMinutes),
        lifecycleHook: settings.lifecycleHooks.length > 0 ? [...settings.lifecycleHooks] : undefined,
      },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: [...settings.alarmNames], enable: true, rollback: true },
      loadBalancer: [
        {
          targetGroupArn: lb.blueTargetGroup.arn,
          containerName: service.containerName,
          containerPort: service.containerPort,
          advancedConfiguration: settings.advancedConfiguration,
        },
      ],
      // A shared ALB's listeners are another stack's (depends_on cannot name a remote-state output); the rules in
      // settings.dependsOn reference them, which orders the service after them just the same.
      dependsOn: [...(lb.shared ? [] : [lb.prodListener, lb.testListener]), ...settings.dependsOn],
      lifecycle: {
        // task_definition: each release registers its own revision (UpdateService); Terraform keeps the first.
        // load_balancer: after a deployment the live group is the former alternate; sending the first mapping back
        // would start a deployment that does not alternate the groups (terraform-provider-aws #45678). Network
        // configuration and platform version stay Terraform's: ECS accepts those updates on this controller.
        ignoreChanges: ["task_definition", "load_balancer"],
      },
    };
  }
}

/** The ECS deployment strategy and its traffic-shift block. */
function deploymentStrategy(traffic: EcsTraffic): Pick<EcsServiceDeploymentConfiguration, "strategy" | "linearConfiguration" | "canaryConfiguration"> {
  switch (traffic.type) {
    case "linear":
      return { strategy: "LINEAR", linearConfiguration: { stepPercent: traffic.stepPercent, stepBakeTimeInMinutes: String(traffic.stepMinutes) } };
    case "canary":
      return { strategy: "CANARY", canaryConfiguration: { canaryPercent: traffic.canaryPercent, canaryBakeTimeInMinutes: String(traffic.canaryMinutes) } };
    default:
      return { strategy: "BLUE_GREEN" };
  }
}

/** Minutes the traffic shift itself takes (ECS API reference: no step bake after 100 %). */
export function trafficMinutes(traffic: EcsTraffic): number {
  if (traffic.type === "linear") return Math.max(0, Math.ceil(100 / traffic.stepPercent) - 1) * traffic.stepMinutes;
  if (traffic.type === "canary") return traffic.canaryMinutes;
  return 0;
}

/**
 * ECS's ranges (API reference, LinearConfiguration and CanaryConfiguration): step percent 3.0-100.0 and canary
 * percent 0.1-100.0 in multiples of 0.1, step and canary bake times 0-1440 minutes.
 */
function validateTraffic(traffic: EcsTraffic): void {
  const tenths = (value: number) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;
  const minutes = (value: number) => Number.isInteger(value) && value >= 0 && value <= MAX_BAKE_TIME_MINUTES;
  if (traffic.type === "linear") {
    if (!(traffic.stepPercent >= 3 && traffic.stepPercent <= 100 && tenths(traffic.stepPercent))) {
      throw new Error(`EcsNativeStrategy: linear stepPercent must be 3.0-100.0 in steps of 0.1 (got ${traffic.stepPercent})`);
    }
    if (!minutes(traffic.stepMinutes)) throw new Error(`EcsNativeStrategy: linear stepMinutes must be a whole number from 0 to 1440 (got ${traffic.stepMinutes})`);
  }
  if (traffic.type === "canary") {
    if (!(traffic.canaryPercent >= 0.1 && traffic.canaryPercent <= 100 && tenths(traffic.canaryPercent))) {
      throw new Error(`EcsNativeStrategy: canaryPercent must be 0.1-100.0 in steps of 0.1 (got ${traffic.canaryPercent})`);
    }
    if (!minutes(traffic.canaryMinutes)) throw new Error(`EcsNativeStrategy: canaryMinutes must be a whole number from 0 to 1440 (got ${traffic.canaryMinutes})`);
  }
}

/**
 * One ECS-native environment as the pipeline sees it. The release step is created when the pipeline binds it:
 * the step reads the pipeline's artifact store, which exists only then.
 */
class EcsNativeDeployment implements EnvironmentDeployment {
  private release?: EcsServiceRelease;

  constructor(
    private readonly control: EcsNativeTrafficRouting,
    private readonly name: string,
    public readonly service: BlueGreenService,
    private readonly traffic: EcsTraffic,
    private readonly slackMinutes: number,
  ) {}

  public bind(binding: DeployBinding): ReturnType<EnvironmentDeployment["bind"]> {
    if (binding.image !== ARTIFACTS.build) {
      throw new Error(
        `environment ${binding.environmentName}: ECS-native releases register the revision the pipeline's build renders (pipeline.imageSource must be codebuild)`,
      );
    }
    if (this.release) throw new Error(`environment ${binding.environmentName}: the ECS-native deployment is already bound to a pipeline`);
    this.release = new EcsServiceRelease(this.control, "Release", {
      name: this.name,
      environmentName: binding.environmentName,
      service: this.service,
      artifactBucket: binding.artifacts as ArtifactBucket,
      timeoutMinutes: Math.min(MAX_RELEASE_TIMEOUT_MINUTES, trafficMinutes(this.traffic) + this.control.bakeTimeMinutes + this.slackMinutes),
    });
    return [this.release.action(binding.deployFiles.artifact, (sid, actions, resource) => binding.grant({ sid, actions: [...actions], resources: [resource] }))];
  }

  /** The build renders `revision-<env>.json`: the complete task definition the release registers. */
  public buildOutputs(environmentName: string): RenderTarget {
    return renderTargetOf(this.service, environmentName, { hooks: [], format: "revision" });
  }

  /** None: the revision names the image the build pushed, so no file can be committed ahead of it. */
  public deployFiles(): readonly DeployFile[] {
    return [];
  }

  /**
   * ECS's "ECS Deployment State Change" event with SERVICE_DEPLOYMENT_COMPLETED for this service (its resources
   * name the service ARN, which is the service's Terraform id): what the image tagger follows.
   */
  public successEventPattern(): Record<string, unknown> {
    return {
      source: ["aws.ecs"],
      "detail-type": ["ECS Deployment State Change"],
      resources: [this.service.service.id],
      detail: { eventName: ["SERVICE_DEPLOYMENT_COMPLETED"] },
    };
  }

  public describe(): EcsNativeDescriptor {
    const traffic = this.traffic;
    const hook = this.control.smokeTestHook;
    return {
      kind: "ecs",
      ecsStrategy: deploymentStrategy(traffic).strategy as EcsNativeDescriptor["ecsStrategy"],
      traffic:
        traffic.type === "linear"
          ? { type: "TimeBasedLinear", percentage: traffic.stepPercent, intervalMinutes: traffic.stepMinutes }
          : traffic.type === "canary"
            ? { type: "TimeBasedCanary", percentage: traffic.canaryPercent, intervalMinutes: traffic.canaryMinutes }
            : { type: "AllAtOnce" },
      bakeTimeMinutes: this.control.bakeTimeMinutes,
      hooks: hook ? [{ stage: ECS_HOOK_STAGE, functionName: hook.functionName }] : [],
      releaseProject: releaseProjectName(this.name),
      autoRollback: { circuitBreaker: true, alarms: true },
    };
  }
}
