/**
 * The typed description of what a stack deploys, written at synth beside each AWS stack's `cdk.tf.json`
 * (`cdktf.out/stacks/<stack>/bluegreen.json`). The operations command (`bluegreen`) and the timeline read this
 * file, never the Terraform JSON: each deploy strategy describes itself (`EnvironmentDeployment.describe()`),
 * so a tool learns a new strategy's settings from the strategy, not by reverse-engineering its resources.
 *
 * Every value is a literal known at synth (names, ports, minutes); nothing here needs Terraform to resolve.
 */

/** Bumped when a field changes meaning; readers refuse other versions with a one-line "re-synthesize" message. */
export const DESCRIPTOR_VERSION = 1;
/** File name inside the stack's synthesized folder. */
export const DESCRIPTOR_FILE = "bluegreen.json";

/** How production traffic moves to the new revision. */
export type TrafficShift =
  | { readonly type: "AllAtOnce" }
  | { readonly type: "TimeBasedCanary"; readonly percentage: number; readonly intervalMinutes: number }
  | { readonly type: "TimeBasedLinear"; readonly percentage: number; readonly intervalMinutes: number };

/** A Lambda lifecycle hook and the lifecycle stage (CodeDeploy event or ECS stage) it runs at. */
export interface HookDescriptor {
  readonly stage: string;
  readonly functionName: string;
}

/** A CodeDeploy deployment group deploys the environment (CodeDeployToECS), swapping whole listeners. */
export interface CodeDeployDescriptor {
  readonly kind: "codedeploy";
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  /** A `CodeDeployDefault.*` preset or the project's custom config name. */
  readonly deploymentConfigName: string;
  readonly traffic: TrafficShift;
  /** Minutes the old task set keeps running after success (instant rollback window). */
  readonly terminationWaitMinutes: number;
  readonly readyOption: { readonly actionOnTimeout: "CONTINUE_DEPLOYMENT" | "STOP_DEPLOYMENT"; readonly waitMinutes: number };
  readonly hooks: readonly HookDescriptor[];
  /** CodeDeploy's auto-rollback events (DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM, ...). */
  readonly autoRollbackEvents: readonly string[];
}

/** ECS deploys the environment itself (ECS deployment controller), reweighting one listener rule per listener. */
export interface EcsNativeDescriptor {
  readonly kind: "ecs";
  /** The ECS deployment strategy: BLUE_GREEN (all at once), LINEAR or CANARY. */
  readonly ecsStrategy: "BLUE_GREEN" | "LINEAR" | "CANARY";
  readonly traffic: TrafficShift;
  /** Minutes both revisions run after all production traffic moved. */
  readonly bakeTimeMinutes: number;
  readonly hooks: readonly HookDescriptor[];
  /** The CodeBuild project of the pipeline's deploy action: registers the rendered revision, updates the service, waits. */
  readonly releaseProject: string;
  /** ECS rolls back on the deployment circuit breaker (failed tasks, failed hooks) and on the alarms. */
  readonly autoRollback: { readonly circuitBreaker: boolean; readonly alarms: boolean };
}

export type StrategyDescriptor = CodeDeployDescriptor | EcsNativeDescriptor;

export interface TargetGroupDescriptor {
  readonly name: string;
  readonly port: number;
  readonly healthCheckPath: string;
  readonly intervalSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly timeoutSeconds: number;
  readonly deregistrationDelaySeconds: number;
}

export interface AlarmDescriptor {
  readonly name: string;
  /** Fastest time from the first bad minute to the alarm (period x datapoints needed). */
  readonly secondsToAlarm: number;
}

/** One environment's runtime and how releases reach it. */
export interface EnvironmentDescriptor {
  readonly name: string;
  /** Pipeline stage and action that deploy it; the manual approval before it, if any. */
  readonly deployStage: string;
  readonly deployAction: string;
  readonly approval?: { readonly stage: string; readonly action: string };
  readonly clusterName: string;
  readonly serviceName: string;
  readonly containerName: string;
  readonly containerPort: number;
  /** Task definition family. */
  readonly family: string;
  readonly taskRoleName: string;
  readonly executionRoleName: string;
  readonly logGroupName: string;
  readonly desiredCount: number;
  readonly healthCheckGracePeriodSeconds: number;
  readonly loadBalancerName: string;
  /** The ALB is another stack's, shared with other services (listener rules route to this one). */
  readonly sharedLoadBalancer: boolean;
  readonly prodListenerPort: number;
  readonly testListenerPort: number;
  /** Blue, then green. */
  readonly targetGroups: readonly TargetGroupDescriptor[];
  readonly alarms: readonly AlarmDescriptor[];
  readonly strategy: StrategyDescriptor;
}

export interface PipelineActionDescriptor {
  readonly name: string;
  readonly category: string;
  readonly provider: string;
  readonly runOrder: number;
  /** The environment a Deploy or Approval action belongs to. */
  readonly environment?: string;
}

export interface PipelineDescriptor {
  readonly name: string;
  readonly stages: readonly { readonly name: string; readonly actions: readonly PipelineActionDescriptor[] }[];
  /** `imageSource: ecr`: the tag whose push starts the pipeline. */
  readonly watchedImageTag?: string;
}

/** What one AWS stack deploys. */
export interface StackDescriptor {
  readonly version: typeof DESCRIPTOR_VERSION;
  readonly stackId: string;
  readonly project: string;
  /** Fleet mode: the service's name; absent in single-service mode. */
  readonly service?: string;
  readonly region: string;
  readonly repositoryName: string;
  readonly pipeline: PipelineDescriptor;
  readonly environments: readonly EnvironmentDescriptor[];
  /** The GitHub workflows' roles (the access stack's), for access-denied advice. */
  readonly planRoleName: string;
  readonly deployRoleName: string;
}
