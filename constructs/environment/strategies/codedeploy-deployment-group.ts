import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { CodepipelineStageAction } from "@cdktf/provider-aws/lib/codepipeline";
import { CodedeployDeploymentConfig } from "@cdktf/provider-aws/lib/codedeploy-deployment-config";
import { CodedeployDeploymentGroup } from "@cdktf/provider-aws/lib/codedeploy-deployment-group";
import { DefaultTokenResolver, Fn, StringConcat, Tokenization } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { BlueGreenService } from "../../runtime/blue-green-service";
import { codeDeployToEcsAction } from "../../delivery/targets/codedeploy-ecs-action";
import {
  AppSpecHook,
  appSpecFileName,
  RenderTarget,
  renderAppSpecYaml,
  renderTargetOf,
  renderTaskDefinitionTemplate,
  taskDefinitionFileName,
} from "../../delivery/build/deploy-artifacts";
import { DeploymentAlarms } from "../../runtime/deployment-alarms";
import { ServiceRole } from "../../identity/iam";
import { shortName } from "../../core/naming";
import { DeployBinding, DeployFile } from "../../delivery/pipeline-seam";
import { SmokeTestHook } from "../../runtime/smoke-test-hook";
import { CodeDeployDescriptor } from "../../../synthesized/descriptor";
import type { EnvironmentDeployment } from "./deploy-strategy";

/** A CodeDeploy ECS preset (`CodeDeployDefault.ECS...`), or a custom canary / linear traffic shift. */
export type DeploymentConfigSpec =
  | { preset: string }
  | { type: "canary" | "linear"; percentage: number; intervalMinutes: number };

/**
 * The AWS managed policy for CodeDeploy's role in ECS blue/green deployments, the Limited variant: it
 * invokes only `CodeDeployHook_*` functions and publishes only to `CodeDeployTopic_*` topics, where
 * AWSCodeDeployRoleForECS invokes any function, publishes anywhere, reads any object and passes any
 * role to ECS tasks. Its own iam:PassRole covers only `ecsTaskExecutionRole`/`ECSTaskExecution*`, so
 * the service's task and execution roles are passed by an inline statement.
 */
export const CODEDEPLOY_ECS_MANAGED_POLICY = "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECSLimited";
/** Events that roll a deployment back; alarms are the only automatic stop under the CODE_DEPLOY controller. */
export const AUTO_ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] as const;

const MAX_TERMINATION_WAIT_MINUTES = 2880;
const MAX_INTERVAL_MINUTES = 2880;
/** CodeDeploy accepts at most 10 alarms per deployment group. */
const MAX_ALARMS = 10;
const ROLE_NAME_MAX_LENGTH = 64;
const CONFIG_NAME_MAX_LENGTH = 100;

export interface CodeDeployDeploymentGroupProps {
  /** Deployment group name (e.g. `demo-prod`), also the prefix of the role and custom config names. */
  readonly name: string;
  /** The CodeDeploy application (compute platform ECS) shared by the environments. */
  readonly application: CodedeployApp;
  /** The service to deploy; must use the CODE_DEPLOY deployment controller with the blue target group attached. */
  readonly service: BlueGreenService;
  /** How traffic shifts: a preset name, or a custom canary / linear config created here. */
  readonly deploymentConfig: DeploymentConfigSpec;
  /** Minutes the old task set is kept after success, for an instant rollback (0-2880; cost grows with it). */
  readonly terminationWaitMinutes: number;
  /** The alarms that stop and roll back a deployment (5xx and unhealthy hosts of both target groups). */
  readonly alarms: DeploymentAlarms;
  /**
   * A smoke-test hook for the appspec; the deployment group lets it report its result.
   * @default - no hook
   */
  readonly smokeTestHook?: SmokeTestHook;
}

/**
 * The CodeDeploy deployment group that deploys a `BlueGreenService` blue/green (invariant 3): traffic control
 * through the prod and test listeners, both target groups, alarm-based stop and auto-rollback.
 * Refuses combinations that would only fail at deploy time (the rule lives where the contract lives).
 */
export class CodeDeployDeploymentGroup extends Construct implements EnvironmentDeployment {
  public readonly deploymentGroup: CodedeployDeploymentGroup;
  /** CodeDeploy's service role. */
  public readonly role: ServiceRole;
  /** Present when `deploymentConfig` is a custom canary / linear. */
  public readonly customConfig?: CodedeployDeploymentConfig;
  public readonly applicationName: string;
  public readonly deploymentGroupName: string;
  public readonly deploymentConfigName: string;
  public readonly applicationArn: string;
  public readonly deploymentGroupArn: string;
  public readonly deploymentConfigArn: string;
  public readonly service: BlueGreenService;
  public readonly smokeTestHook?: SmokeTestHook;
  private readonly application: CodedeployApp;
  private readonly spec: DeploymentConfigSpec;
  private readonly terminationWaitMinutes: number;

  constructor(scope: Construct, id: string, props: CodeDeployDeploymentGroupProps) {
    super(scope, id);
    validateProps(props);
    this.application = props.application;
    this.spec = props.deploymentConfig;
    this.terminationWaitMinutes = props.terminationWaitMinutes;
    const lb = props.service.loadBalancer;
    this.service = props.service;
    this.smokeTestHook = props.smokeTestHook;
    this.applicationName = props.application.name;
    this.applicationArn = props.application.arn;
    this.deploymentGroupName = props.name;

    // arn:<partition>:codedeploy:<region>:<account>:application:<name>: region and account without a data source.
    const arnParts = Fn.split(":", props.application.arn);
    const [partition, region, account] = [1, 3, 4].map((i) => Fn.element(arnParts, i));
    const arnPrefix = `arn:${partition}:codedeploy:${region}:${account}`;

    this.role = new ServiceRole(this, "Role", {
      name: shortName(props.name, "codedeploy", ROLE_NAME_MAX_LENGTH),
      servicePrincipal: "codedeploy.amazonaws.com",
      // Confused-deputy protection as CodeDeploy documents it: only deployment groups of this application.
      trustConditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
        {
          test: "ArnLike",
          variable: "aws:SourceArn",
          values: [`${arnPrefix}:deploymentgroup:${props.application.name}/*`],
        },
      ],
      description: `CodeDeploy shifts traffic between the task sets of ${props.name}`,
    });
    this.role.attachManagedPolicy("CodeDeployForEcs", CODEDEPLOY_ECS_MANAGED_POLICY);
    // CreateTaskSet hands the task definition's roles to ECS; the Limited policy passes only its own role names.
    this.role.addToPolicy(props.service.passRoleStatement("PassTaskRoles"));

    const spec = props.deploymentConfig;
    if ("preset" in spec) {
      this.deploymentConfigName = spec.preset;
      this.deploymentConfigArn = `${arnPrefix}:deploymentconfig:${spec.preset}`;
    } else {
      this.customConfig = createCustomConfig(this, props.name, spec);
      this.deploymentConfigName = this.customConfig.deploymentConfigName;
      this.deploymentConfigArn = this.customConfig.arn;
    }

    this.deploymentGroup = new CodedeployDeploymentGroup(this, "DeploymentGroup", {
      appName: props.application.name,
      deploymentGroupName: props.name,
      serviceRoleArn: this.role.arn,
      deploymentConfigName: this.deploymentConfigName,
      deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
      blueGreenDeploymentConfig: {
        // Unattended pipelines reroute as soon as the new task set is ready; STOP_DEPLOYMENT would wait for a human.
        deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
        terminateBlueInstancesOnDeploymentSuccess: {
          action: "TERMINATE",
          terminationWaitTimeInMinutes: props.terminationWaitMinutes,
        },
      },
      ecsService: { clusterName: props.service.cluster.clusterName, serviceName: props.service.service.name },
      loadBalancerInfo: {
        targetGroupPairInfo: {
          prodTrafficRoute: { listenerArns: [lb.prodListener.arn] },
          testTrafficRoute: { listenerArns: [lb.testListener.arn] },
          targetGroup: [{ name: lb.blueTargetGroup.name }, { name: lb.greenTargetGroup.name }],
        },
      },
      autoRollbackConfiguration: { enabled: true, events: [...AUTO_ROLLBACK_EVENTS] },
      alarmConfiguration: { enabled: true, alarms: props.alarms.alarmNames },
      // CodeDeploy checks the role's permissions when the group is created: attach the managed policy first.
      dependsOn: this.role.grants,
    });
    this.deploymentGroupArn = this.deploymentGroup.arn;
  }

  /** The CodeDeployToECS action, with its grants to the pipeline role. */
  public bind(binding: DeployBinding): CodepipelineStageAction[] {
    return [codeDeployToEcsAction(this, binding)];
  }

  /** The build renders `taskdef-<env>.json` from the revision Terraform registered, and `appspec-<env>.yaml`. */
  public buildOutputs(environmentName: string): RenderTarget {
    return renderTargetOf(this.service, environmentName, { hooks: this.hooks() });
  }

  /** The same two files, rendered at synth time from the task definition this stack defines. */
  public deployFiles(environmentName: string): readonly DeployFile[] {
    const service = this.service;
    return [
      {
        id: "TaskDefinition",
        fileName: taskDefinitionFileName(environmentName),
        render: () => `${JSON.stringify(renderTaskDefinitionTemplate(service), null, 2)}\n`,
      },
      {
        id: "AppSpec",
        fileName: appSpecFileName(environmentName),
        render: () => renderAppSpecYaml({ containerName: service.containerName, containerPort: service.containerPort, hooks: this.hooks() }),
      },
    ];
  }

  /** The CodeDeploy strategy's description for the tools (literal names and settings). */
  public describe(): CodeDeployDescriptor {
    const spec = this.spec;
    return {
      kind: "codedeploy",
      applicationName: this.application.nameInput ?? this.applicationName,
      deploymentGroupName: this.deploymentGroupName,
      deploymentConfigName: this.customConfig?.deploymentConfigNameInput ?? this.deploymentConfigName,
      traffic:
        "preset" in spec
          ? presetTraffic(spec.preset)
          : { type: spec.type === "canary" ? "TimeBasedCanary" : "TimeBasedLinear", percentage: spec.percentage, intervalMinutes: spec.intervalMinutes },
      terminationWaitMinutes: this.terminationWaitMinutes,
      readyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT", waitMinutes: 0 },
      hooks: this.hooks().map((hook) => ({ stage: hook.lifecycleEvent, functionName: hook.functionName })),
      autoRollbackEvents: [...AUTO_ROLLBACK_EVENTS],
    };
  }

  /** CodeDeploy's state-change event of a successful deployment of this group (what the image tagger follows). */
  public successEventPattern(): Record<string, unknown> {
    return {
      source: ["aws.codedeploy"],
      "detail-type": ["CodeDeploy Deployment State-change Notification"],
      detail: { state: ["SUCCESS"], application: [this.applicationName], deploymentGroup: [this.deploymentGroupName] },
    };
  }

  private hooks(): AppSpecHook[] {
    const hook = this.smokeTestHook;
    return hook ? [{ lifecycleEvent: hook.lifecycleEvent, functionName: hook.functionName }] : [];
  }
}

/**
 * The traffic shift of a CodeDeploy ECS preset, from its name (CodeDeployDefault.ECSLinear10PercentEvery1Minutes,
 * ECSCanary10Percent5Minutes, ECSAllAtOnce: the presets AWS documents for ECS).
 */
export function presetTraffic(preset: string): CodeDeployDescriptor["traffic"] {
  const linear = /ECSLinear(\d+)PercentEvery(\d+)Minutes?$/.exec(preset);
  if (linear) return { type: "TimeBasedLinear", percentage: Number(linear[1]), intervalMinutes: Number(linear[2]) };
  const canary = /ECSCanary(\d+)Percent(\d+)Minutes?$/.exec(preset);
  if (canary) return { type: "TimeBasedCanary", percentage: Number(canary[1]), intervalMinutes: Number(canary[2]) };
  return { type: "AllAtOnce" };
}

function createCustomConfig(
  scope: Construct,
  name: string,
  spec: { type: "canary" | "linear"; percentage: number; intervalMinutes: number },
): CodedeployDeploymentConfig {
  const step = { interval: spec.intervalMinutes, percentage: spec.percentage };
  return new CodedeployDeploymentConfig(scope, "DeploymentConfig", {
    // The name encodes the settings: every argument forces a replacement, and a new name lets the new config
    // exist before the group switches to it (create_before_destroy) instead of colliding with the old one.
    deploymentConfigName: shortName(
      name,
      `${spec.type}-${spec.percentage}pct-every-${spec.intervalMinutes}min`,
      CONFIG_NAME_MAX_LENGTH,
    ),
    computePlatform: "ECS",
    trafficRoutingConfig:
      spec.type === "canary"
        ? { type: "TimeBasedCanary", timeBasedCanary: step }
        : { type: "TimeBasedLinear", timeBasedLinear: step },
    lifecycle: { createBeforeDestroy: true },
  });
}

/** Rules CodeDeploy would only enforce at deploy time, checked at synth with messages that say what is allowed. */
function validateProps(props: CodeDeployDeploymentGroupProps): void {
  const errors: string[] = [];
  const service = props.service.service;
  const controller = service.deploymentControllerInput?.type;
  if (controller !== "CODE_DEPLOY") {
    errors.push(`service ${service.friendlyUniqueId} must use the CODE_DEPLOY deployment controller (got ${controller ?? "ECS"})`);
  }
  const lb = props.service.loadBalancer;
  const blue = lb.blueTargetGroup;
  const green = lb.greenTargetGroup;
  if (blue === green || (blue.nameInput !== undefined && blue.nameInput === green.nameInput)) {
    errors.push(`the blue and green target groups must differ (both are "${blue.nameInput ?? blue.friendlyUniqueId}")`);
  }
  const attached = service.loadBalancerInput;
  const attachesBlueOnly =
    Array.isArray(attached) && attached.length === 1 && sameReference(props.service, attached[0].targetGroupArn, blue.arn);
  if (!attachesBlueOnly) {
    errors.push(`service ${service.friendlyUniqueId} must have exactly the blue target group attached (CodeDeploy attaches green itself)`);
  }
  const wait = props.terminationWaitMinutes;
  if (!Number.isInteger(wait) || wait < 0 || wait > MAX_TERMINATION_WAIT_MINUTES) {
    errors.push(`terminationWaitMinutes must be a whole number from 0 to ${MAX_TERMINATION_WAIT_MINUTES} (got ${wait})`);
  }
  const spec = props.deploymentConfig;
  if ("preset" in spec) {
    if (!spec.preset.startsWith("CodeDeployDefault.ECS")) {
      errors.push(`deploymentConfig.preset must be an ECS preset, CodeDeployDefault.ECS... (got "${spec.preset}")`);
    }
  } else {
    if (!Number.isInteger(spec.percentage) || spec.percentage < 1 || spec.percentage > 99) {
      errors.push(`deploymentConfig.percentage of a ${spec.type} config must be a whole number from 1 to 99 (got ${spec.percentage})`);
    }
    if (!Number.isInteger(spec.intervalMinutes) || spec.intervalMinutes < 1 || spec.intervalMinutes > MAX_INTERVAL_MINUTES) {
      errors.push(
        `deploymentConfig.intervalMinutes of a ${spec.type} config must be a whole number from 1 to ${MAX_INTERVAL_MINUTES} (got ${spec.intervalMinutes})`,
      );
    }
  }
  if (props.alarms.alarmNames.length > MAX_ALARMS) {
    errors.push(`a deployment group takes at most ${MAX_ALARMS} alarms (got ${props.alarms.alarmNames.length})`);
  }
  if (errors.length > 0) {
    throw new Error(`CodeDeployDeploymentGroup ${props.name}:\n  - ${errors.join("\n  - ")}`);
  }
}

/** Attribute tokens differ on every read; two references are the same when they resolve to the same expression. */
function sameReference(scope: IConstruct, a: string | undefined, b: string): boolean {
  const options = { scope, resolver: new DefaultTokenResolver(new StringConcat()) };
  return Tokenization.resolve(a, options) === Tokenization.resolve(b, options);
}
