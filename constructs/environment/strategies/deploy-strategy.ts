/**
 * The deploy-strategy seam. A strategy is one unit that owns everything that differs between ways of releasing
 * to an environment: the service's deployment settings (controller, strategy, what Terraform must ignore), what
 * it adds to the load balancer (listener rules, or nothing when it swaps whole listeners), the smoke-test hook's
 * protocol, the pipeline's deploy action with its grants, and a typed description of itself for the tools.
 * `BlueGreenEnvironment` builds an environment by calling a strategy in two phases, with no strategy switch:
 *
 *   prepare(environment)         before the service: what the service must reference (rules, roles)
 *   serviceArguments(service)    the `aws_ecs_service` arguments of the strategy
 *   deploy(scope, service)       after the service: the pipeline's deploy target (deployment group, release step)
 *
 * Adding a strategy is one unit implementing `DeployStrategy`, plus its config mapping (stacks/config-props.ts).
 */
import { Construct } from "constructs";
import type { BlueGreenService, ServiceDeploymentSettings } from "../../runtime/blue-green-service";
import type { TaggedDeployment } from "../deployed-image-tagger";
import type { DeploymentAlarms } from "../../runtime/deployment-alarms";
import type { BlueGreenLoadBalancer } from "../../runtime/blue-green-load-balancer";
import type { IDeployTarget } from "../../delivery/pipeline-seam";
import type { HookProtocol, SmokeTestHook } from "../../runtime/smoke-test-hook";
import type { StrategyDescriptor } from "../../../synthesized/descriptor";

/** What an environment hands its strategy before the service exists. */
export interface StrategyEnvironment {
  /** Prefix of the environment's resource names, e.g. `demo-prod`. */
  readonly name: string;
  readonly loadBalancer: BlueGreenLoadBalancer;
  /** The alarms that stop and roll back a deployment. */
  readonly alarms: DeploymentAlarms;
  /** @default - no smoke test */
  readonly smokeTestHook?: SmokeTestHook;
}

/** One environment's deployment as the pipeline, the image tagger and the tools see it. */
export interface EnvironmentDeployment extends IDeployTarget, TaggedDeployment {
  /** The strategy's typed description (written at synth into the stack's `bluegreen.json`). */
  describe(): StrategyDescriptor;
}

/** A strategy after `prepare`: it knows the environment, and what the service must reference. */
export interface PreparedStrategy extends ServiceDeploymentSettings {
  /** The pipeline's deploy target for the service (created in `scope` with the construct id `Deployment` or its own). */
  deploy(scope: Construct, service: BlueGreenService): EnvironmentDeployment;
}

/** A way of releasing to an environment (CodeDeploy blue/green, ECS-native blue/green/linear/canary). */
export interface DeployStrategy {
  /** The config's name for it (`deploy.strategy`). */
  readonly kind: StrategyDescriptor["kind"];
  /** Whether several services may share one ALB (each reweighting its own listener rules). */
  readonly sharesLoadBalancer: boolean;
  /** How the smoke-test hook runs and reports under this strategy. */
  readonly hookProtocol: HookProtocol;
  /** Creates what the service must reference (before the service). */
  prepare(scope: Construct, environment: StrategyEnvironment): PreparedStrategy;
}
