import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { TerraformOutput } from "cdktf";
import { CodeDeployDeploymentGroup, DeploymentConfigSpec } from "../../../../constructs/environment/strategies/codedeploy-deployment-group";
import { DeploymentAlarms } from "../../../../constructs/runtime/deployment-alarms";
import { FullOptions, NAME, TerraformJson, byPath, fullStack, only, policyStatements, synth, withService } from "../../../helpers/codedeploy-runtime";
import { deepFreeze, oncePerOptions } from "../../../helpers/shared";

const PRESET = "CodeDeployDefault.ECSLinear10PercentEvery1Minutes";

/** Synthesized once per options object: the tests reading the default stack share it. */
const synthFull = oncePerOptions((options: FullOptions = {}): TerraformJson => deepFreeze(synth(fullStack(options).stack, true)));

function group(options: FullOptions = {}) {
  return only(synthFull(options), "aws_codedeploy_deployment_group");
}

/** Builds a deployment on a fresh service; for the validation tests. */
function deploy(overrides: { deploymentConfig?: DeploymentConfigSpec; terminationWaitMinutes?: number; mutate?: (s: ReturnType<typeof withService>) => void }) {
  const base = withService();
  overrides.mutate?.(base);
  const application = new CodedeployApp(base.stack, "Application", { name: "demo", computePlatform: "ECS" });
  const alarms = new DeploymentAlarms(base.stack, "Alarms", { name: NAME, loadBalancer: base.loadBalancer });
  return new CodeDeployDeploymentGroup(base.stack, "Deployment", {
    name: NAME,
    application,
    service: base.service,
    deploymentConfig: overrides.deploymentConfig ?? { preset: PRESET },
    terminationWaitMinutes: overrides.terminationWaitMinutes ?? 60,
    alarms,
  });
}

describe("CodeDeployDeploymentGroup: the deployment group (invariant 3)", () => {
  test("deploys blue/green with traffic control", () => {
    expect(group().deployment_style).toEqual({ deployment_option: "WITH_TRAFFIC_CONTROL", deployment_type: "BLUE_GREEN" });
  });

  test("reroutes without waiting for a human and keeps the old task set for the termination wait", () => {
    expect(group({ terminationWaitMinutes: 15 }).blue_green_deployment_config).toEqual({
      deployment_ready_option: { action_on_timeout: "CONTINUE_DEPLOYMENT" },
      terminate_blue_instances_on_deployment_success: { action: "TERMINATE", termination_wait_time_in_minutes: 15 },
    });
  });

  test("deploys the service in its cluster", () => {
    expect(group().ecs_service).toEqual({
      cluster_name: "${aws_ecs_cluster.Cluster_3DA9CCBA.name}",
      service_name: "${aws_ecs_service.Service_D69D759B.name}",
    });
  });

  test("shifts traffic between both target groups through the prod and test listeners", () => {
    expect(group().load_balancer_info).toEqual({
      target_group_pair_info: {
        prod_traffic_route: { listener_arns: ["${aws_lb_listener.LoadBalancer_ProdListener_2283AECF.arn}"] },
        test_traffic_route: { listener_arns: ["${aws_lb_listener.LoadBalancer_TestListener_FE78F770.arn}"] },
        target_group: [
          { name: "${aws_lb_target_group.LoadBalancer_BlueTargetGroup_B192E3CD.name}" },
          { name: "${aws_lb_target_group.LoadBalancer_GreenTargetGroup_1307B10F.name}" },
        ],
      },
    });
  });

  test("rolls back on failure and on alarm", () => {
    expect(group().auto_rollback_configuration).toEqual({ enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] });
  });

  test("stops on the 5xx and unhealthy-host alarms of both target groups", () => {
    expect(group().alarm_configuration).toEqual({
      enabled: true,
      alarms: [
        "${aws_cloudwatch_metric_alarm.Alarms_BlueTarget5xx_F823452B.alarm_name}",
        "${aws_cloudwatch_metric_alarm.Alarms_BlueUnhealthyHosts_96D537DC.alarm_name}",
        "${aws_cloudwatch_metric_alarm.Alarms_GreenTarget5xx_F90731C4.alarm_name}",
        "${aws_cloudwatch_metric_alarm.Alarms_GreenUnhealthyHosts_D37C3C1C.alarm_name}",
      ],
    });
  });

  test("is named after the environment in the given application, run by its own role", () => {
    expect(group()).toMatchObject({
      app_name: "${aws_codedeploy_app.Application.name}",
      deployment_group_name: NAME,
      service_role_arn: "${aws_iam_role.Deployment_Role_ECC8C39D.arn}",
      depends_on: ["aws_iam_role_policy.Deployment_Role_Policy_AE883DAB", "aws_iam_role_policy_attachment.Deployment_Role_CodeDeployForEcs_CB8B4325"],
    });
  });
});

describe("CodeDeployDeploymentGroup: deployment configs", () => {
  test("uses a preset by name, with no custom config", () => {
    const { deployment, stack } = fullStack({ deploymentConfig: { preset: "CodeDeployDefault.ECSAllAtOnce" } });
    const json = synth(stack);
    expect(only(json, "aws_codedeploy_deployment_group").deployment_config_name).toBe("CodeDeployDefault.ECSAllAtOnce");
    expect(json.resource.aws_codedeploy_deployment_config).toBeUndefined();
    expect(deployment.customConfig).toBeUndefined();
    expect(deployment.deploymentConfigName).toBe("CodeDeployDefault.ECSAllAtOnce");
  });

  test("creates a custom time-based canary config", () => {
    const json = synthFull({ deploymentConfig: { type: "canary", percentage: 20, intervalMinutes: 5 } });
    const config = only(json, "aws_codedeploy_deployment_config");
    expect(config).toMatchObject({
      deployment_config_name: `${NAME}-canary-20pct-every-5min`,
      compute_platform: "ECS",
      traffic_routing_config: { type: "TimeBasedCanary", time_based_canary: { percentage: 20, interval: 5 } },
      lifecycle: { create_before_destroy: true },
    });
    expect(only(json, "aws_codedeploy_deployment_group").deployment_config_name).toBe(
      "${aws_codedeploy_deployment_config.Deployment_DeploymentConfig_DA25A14D.deployment_config_name}",
    );
  });

  test("creates a custom time-based linear config", () => {
    const config = only(synthFull({ deploymentConfig: { type: "linear", percentage: 25, intervalMinutes: 2 } }), "aws_codedeploy_deployment_config");
    expect(config.traffic_routing_config).toEqual({ type: "TimeBasedLinear", time_based_linear: { percentage: 25, interval: 2 } });
  });
});

describe("CodeDeployDeploymentGroup: exposed ARNs", () => {
  function outputs(options: FullOptions): Record<string, string> {
    const { stack, deployment } = fullStack(options);
    new TerraformOutput(stack, "ApplicationArn", { value: deployment.applicationArn });
    new TerraformOutput(stack, "GroupArn", { value: deployment.deploymentGroupArn });
    new TerraformOutput(stack, "ConfigArn", { value: deployment.deploymentConfigArn });
    const json = synth(stack) as unknown as { output: Record<string, { value: string }> };
    return Object.fromEntries(Object.entries(json.output).map(([k, v]) => [k, v.value]));
  }

  test("derives a preset's ARN from the application's partition, region and account", () => {
    const arn = (i: number) => `\${element(split(":", aws_codedeploy_app.Application.arn), ${i})}`;
    expect(outputs({})).toEqual({
      ApplicationArn: "${aws_codedeploy_app.Application.arn}",
      GroupArn: "${aws_codedeploy_deployment_group.Deployment_DeploymentGroup_92D916CE.arn}",
      ConfigArn: `arn:${arn(1)}:codedeploy:${arn(3)}:${arn(4)}:deploymentconfig:${PRESET}`,
    });
  });

  test("takes a custom config's ARN from the config", () => {
    expect(outputs({ deploymentConfig: { type: "canary", percentage: 10, intervalMinutes: 5 } }).ConfigArn).toBe(
      "${aws_codedeploy_deployment_config.Deployment_DeploymentConfig_DA25A14D.arn}",
    );
  });
});

describe("CodeDeployDeploymentGroup: CodeDeploy's role (invariant 6)", () => {
  test("is assumable by CodeDeploy for this application's deployment groups only", () => {
    const arn = (i: number) => `\${element(split(":", aws_codedeploy_app.Application.arn), ${i})}`;
    expect(policyStatements(synthFull(), "Deployment/Role/Trust/Document")).toEqual([
      {
        sid: "TrustService",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["codedeploy.amazonaws.com"] }],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [arn(4)] },
          {
            test: "ArnLike",
            variable: "aws:SourceArn",
            values: [`arn:${arn(1)}:codedeploy:${arn(3)}:${arn(4)}:deploymentgroup:\${aws_codedeploy_app.Application.name}/*`],
          },
        ],
      },
    ]);
  });

  test("has the Limited AWS managed policy for ECS deployments (hooks CodeDeployHook_* only), never the full one", () => {
    const json = synthFull();
    expect(byPath(json, "aws_iam_role_policy_attachment", "Deployment/Role/CodeDeployForEcs")).toMatchObject({
      role: "${aws_iam_role.Deployment_Role_ECC8C39D.name}",
      policy_arn: "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECSLimited",
    });
    expect(Object.keys(json.resource.aws_iam_role_policy_attachment)).toHaveLength(1);
  });

  test("passes only the service's task and execution roles, only to ECS tasks (the Limited policy passes only its own role names)", () => {
    const json = synthFull();
    const statements = policyStatements(json, "Deployment/Role/Permissions/Document");
    expect(statements).toEqual([
      {
        sid: "PassTaskRoles",
        effect: "Allow",
        actions: ["iam:PassRole"],
        resources: ["${aws_iam_role.Service_TaskRole_3FF3097A.arn}", "${aws_iam_role.Service_ExecutionRole_02E8CD47.arn}"],
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
      },
    ]);
  });
});

describe("CodeDeployDeploymentGroup: validation", () => {
  test("fails when the service does not use the CODE_DEPLOY controller", () => {
    expect(() => deploy({ mutate: ({ service }) => service.service.putDeploymentController({ type: "ECS" }) })).toThrow(
      /must use the CODE_DEPLOY deployment controller \(got ECS\)/,
    );
  });

  test("fails when the blue and green target groups are the same", () => {
    expect(() =>
      deploy({
        mutate: ({ loadBalancer }) => {
          (loadBalancer as { greenTargetGroup: unknown }).greenTargetGroup = loadBalancer.blueTargetGroup;
        },
      }),
    ).toThrow(/the blue and green target groups must differ/);
  });

  test("fails when the service has the green target group attached too", () => {
    expect(() =>
      deploy({
        mutate: ({ service, loadBalancer }) =>
          service.service.putLoadBalancer([
            { targetGroupArn: loadBalancer.blueTargetGroup.arn, containerName: "app", containerPort: 8080 },
            { targetGroupArn: loadBalancer.greenTargetGroup.arn, containerName: "app", containerPort: 8080 },
          ]),
      }),
    ).toThrow(/must have exactly the blue target group attached/);
  });

  test.each([-1, 2881, 1.5])("fails when terminationWaitMinutes is %p", (minutes) => {
    expect(() => deploy({ terminationWaitMinutes: minutes })).toThrow(
      `terminationWaitMinutes must be a whole number from 0 to 2880 (got ${minutes})`,
    );
  });

  test.each([0, 2880])("accepts terminationWaitMinutes %p", (minutes) => {
    expect(() => deploy({ terminationWaitMinutes: minutes })).not.toThrow();
  });

  test.each([0, 100, 12.5])("fails when a canary percentage is %p", (percentage) => {
    expect(() => deploy({ deploymentConfig: { type: "canary", percentage, intervalMinutes: 5 } })).toThrow(
      `deploymentConfig.percentage of a canary config must be a whole number from 1 to 99 (got ${percentage})`,
    );
  });

  test.each([0, 2881])("fails when a linear interval is %p minutes", (intervalMinutes) => {
    expect(() => deploy({ deploymentConfig: { type: "linear", percentage: 10, intervalMinutes } })).toThrow(
      `deploymentConfig.intervalMinutes of a linear config must be a whole number from 1 to 2880 (got ${intervalMinutes})`,
    );
  });

  test("fails when the preset is not an ECS preset", () => {
    expect(() => deploy({ deploymentConfig: { preset: "CodeDeployDefault.OneAtATime" } })).toThrow(
      'deploymentConfig.preset must be an ECS preset, CodeDeployDefault.ECS... (got "CodeDeployDefault.OneAtATime")',
    );
  });

  test("reports every problem at once", () => {
    expect(() => deploy({ terminationWaitMinutes: -5, deploymentConfig: { type: "canary", percentage: 0, intervalMinutes: 0 } })).toThrow(
      /CodeDeployDeploymentGroup demo-prod:\n {2}- terminationWaitMinutes.*\n {2}- deploymentConfig\.percentage.*\n {2}- deploymentConfig\.intervalMinutes/,
    );
  });
});
