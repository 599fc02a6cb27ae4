/**
 * The CodeDeploy strategy (`deploy.strategy: codedeploy`, the default): the service runs on the CODE_DEPLOY
 * controller with the blue target group, and a CodeDeploy deployment group (`CodeDeployDeploymentGroup`) swaps the
 * whole prod and test listeners between blue and green, driven by the pipeline's CodeDeployToECS action.
 */
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { EcsServiceConfig } from "@cdktf/provider-aws/lib/ecs-service";
import { Construct } from "constructs";
import { CodeDeployDeploymentGroup, DeploymentConfigSpec } from "./codedeploy-deployment-group";
import { BlueGreenService, ServiceShape } from "../../runtime/blue-green-service";
import { HookProtocol } from "../../runtime/smoke-test-hook";
import { DeployStrategy, EnvironmentDeployment, PreparedStrategy, StrategyEnvironment } from "./deploy-strategy";

/** How a CodeDeploy hook reports its result. */
export const HOOK_REPORT_ACTIONS = ["codedeploy:PutLifecycleEventHookExecutionStatus"] as const;

/** The appspec hook: CodeDeploy invokes it after test traffic reaches the new task set; it reports through CodeDeploy's API. */
export const CODEDEPLOY_HOOK_PROTOCOL: HookProtocol = {
  handler: "index.handler",
  stage: "AfterAllowTestTraffic",
  description: "CodeDeploy AfterAllowTestTraffic hook",
  reportingStatements: [
    // `*`, not the group's ARN: AWS's service reference lists no resource type for this action, and for such
    // actions IAM documents `Resource: "*"` as the only form. aws-cdk grants the group's ARN instead; `*` works
    // either way, where an ARN-scoped grant that IAM ignores would leave every deployment waiting out its hour.
    { sid: "ReportHookStatus", actions: [...HOOK_REPORT_ACTIONS], resources: ["*"] },
  ],
};

export interface CodeDeployStrategyProps {
  /** The CodeDeploy application the environments' deployment groups belong to. */
  readonly application: CodedeployApp;
  /** How traffic shifts: a `CodeDeployDefault.ECS*` preset or a custom canary/linear config. */
  readonly deploymentConfig: DeploymentConfigSpec;
  /** Minutes the old task set keeps running after a successful deployment (0-2880). */
  readonly terminationWaitMinutes: number;
}

export class CodeDeployStrategy implements DeployStrategy {
  public readonly kind = "codedeploy" as const;
  /** CodeDeploy rewrites whole listeners, so the ALB is the service's own. */
  public readonly sharesLoadBalancer = false;
  public readonly hookProtocol = CODEDEPLOY_HOOK_PROTOCOL;

  constructor(private readonly props: CodeDeployStrategyProps) {}

  public prepare(_scope: Construct, environment: StrategyEnvironment): PreparedStrategy {
    const props = this.props;
    return {
      serviceArguments: codeDeployServiceArguments,
      deploy: (scope: Construct, service: BlueGreenService): EnvironmentDeployment =>
        new CodeDeployDeploymentGroup(scope, "Deployment", {
          name: environment.name,
          application: props.application,
          service,
          deploymentConfig: props.deploymentConfig,
          terminationWaitMinutes: props.terminationWaitMinutes,
          alarms: environment.alarms,
          smokeTestHook: environment.smokeTestHook,
        }),
    };
  }
}

/** The CODE_DEPLOY controller: CodeDeploy swaps the target groups and owns the task definition. */
export function codeDeployServiceArguments(service: ServiceShape): Partial<EcsServiceConfig> {
  const lb = service.loadBalancer;
  return {
    deploymentController: { type: "CODE_DEPLOY" },
    // Only the blue target group: CodeDeploy registers the green task set in the green group itself;
    // attaching both makes the deployment hang.
    loadBalancer: [{ targetGroupArn: lb.blueTargetGroup.arn, containerName: service.containerName, containerPort: service.containerPort }],
    // ECS needs the target group attached to a listener before a service can use it.
    dependsOn: [lb.prodListener, lb.testListener],
    lifecycle: {
      // With the CODE_DEPLOY controller, ECS refuses UpdateService changes to these ("Unable to update task
      // definition on services with a CODE_DEPLOY deployment controller", terraform-provider-aws #12703,
      // #8005, #17311). The pipeline changes them through CodeDeploy; Terraform keeps the first values.
      ignoreChanges: ["task_definition", "load_balancer", "network_configuration", "platform_version"],
    },
  };
}
