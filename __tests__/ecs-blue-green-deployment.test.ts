import { EcsServiceDeploymentConfigurationOutputReference, ecsServiceLoadBalancerToTerraform } from "@cdktf/provider-aws/lib/ecs-service";
import { ConfigError } from "../config";
import { ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY } from "../constructs/ecs-blue-green-deployment";
import { OFFLINE_DOWNGRADES, toOfflineJson } from "./helpers/offline-terraform";
import { synthProject, testConfig } from "./helpers/synth";
import { once } from "./helpers/shared";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** staging on CodeDeploy, prod on ECS-native blue/green with a 10-minute bake and the smoke test. */
const built = once(() => {
  const config = testConfig({
    environments: [
      { name: "staging" },
      { name: "prod", strategy: "ecs", bakeTimeMinutes: 10, requireApproval: true, smokeTest: true },
    ],
  });
  return synthProject(config);
});

function resources(type: string, prefix = ""): [string, Json][] {
  return Object.entries((built().aws.resource as Json)[type] ?? {}).filter(([name]) => name.startsWith(prefix)) as [string, Json][];
}

function one(type: string, prefix: string): Json {
  const found = resources(type, prefix);
  if (found.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${found.map(([n]) => n).join(", ") || "none"}`);
  return found[0][1];
}

const ref = (type: string, prefix: string, attr: string) => {
  const found = resources(type, prefix);
  if (found.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}`);
  return `\${${type}.${found[0][0]}.${attr}}`;
};

function statements(documentPrefix: string): Json[] {
  const docs = Object.entries((built().aws.data as Json).aws_iam_policy_document).filter(([name]) => name.startsWith(documentPrefix));
  if (docs.length !== 1) throw new Error(`expected one document starting with ${documentPrefix}, found ${docs.length}`);
  return (docs[0][1] as Json).statement as Json[];
}

describe("ECS-native blue/green: the service", () => {
  test("uses the ECS controller with the BLUE_GREEN strategy and the configured bake time", () => {
    const service = one("aws_ecs_service", "EnvProd_Service");
    expect(service.deployment_controller).toEqual({ type: "ECS" });
    expect(service.deployment_configuration).toMatchObject({ strategy: "BLUE_GREEN", bake_time_in_minutes: "10" });
  });

  test("routes through the production and test listener rules to the primary and alternate target groups", () => {
    const service = one("aws_ecs_service", "EnvProd_Service");
    expect(service.load_balancer).toEqual([
      {
        target_group_arn: ref("aws_lb_target_group", "EnvProd_LoadBalancer_Blue", "arn"),
        container_name: "app",
        container_port: 8080,
        advanced_configuration: {
          alternate_target_group_arn: ref("aws_lb_target_group", "EnvProd_LoadBalancer_Green", "arn"),
          production_listener_rule: ref("aws_lb_listener_rule", "EnvProd_Deployment_ProductionRule", "arn"),
          test_listener_rule: ref("aws_lb_listener_rule", "EnvProd_Deployment_TestRule", "arn"),
          role_arn: ref("aws_iam_role", "EnvProd_Deployment_InfrastructureRole", "arn"),
        },
      },
    ]);
  });

  test("runs the smoke test as a lifecycle hook at POST_TEST_TRAFFIC_SHIFT, invoked with its own role", () => {
    const service = one("aws_ecs_service", "EnvProd_Service");
    expect(service.deployment_configuration.lifecycle_hook).toEqual([
      {
        hook_target_arn: ref("aws_lambda_function", "EnvProd_SmokeTest_Function", "arn"),
        role_arn: ref("aws_iam_role", "EnvProd_Deployment_HookRole", "arn"),
        lifecycle_stages: ["POST_TEST_TRAFFIC_SHIFT"],
      },
    ]);
    const hook = one("aws_lambda_function", "EnvProd_SmokeTest_Function");
    expect(hook.handler).toBe("index.ecsHandler");
  });

  test("rolls back on the deployment alarms and on the circuit breaker", () => {
    const service = one("aws_ecs_service", "EnvProd_Service");
    const alarmNames = resources("aws_cloudwatch_metric_alarm", "EnvProd_Alarms").map(([name]) => `\${aws_cloudwatch_metric_alarm.${name}.alarm_name}`);
    expect(alarmNames.length).toBeGreaterThan(0);
    expect(service.alarms).toEqual({ alarm_names: expect.arrayContaining(alarmNames), enable: true, rollback: true });
    expect(service.alarms.alarm_names).toHaveLength(alarmNames.length);
    expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
  });

  test("ignores what the pipeline and ECS change (task definition; the live target group), so a second deploy plans no change", () => {
    const service = one("aws_ecs_service", "EnvProd_Service");
    expect(service.lifecycle.ignore_changes).toEqual(["task_definition", "load_balancer"]);
  });

  test("leaves the CodeDeploy environment as it was", () => {
    const service = one("aws_ecs_service", "EnvStaging_Service");
    expect(service.deployment_controller).toEqual({ type: "CODE_DEPLOY" });
    expect(service.deployment_configuration).toBeUndefined();
    expect(resources("aws_codedeploy_deployment_group", "EnvStaging_")).toHaveLength(1);
    expect(resources("aws_codedeploy_deployment_group", "EnvProd_")).toHaveLength(0);
  });
});

describe("ECS-native blue/green: the deployed-image tagger", () => {
  test("follows ECS's completed deployments of this service, not CodeDeploy's", () => {
    const rule = one("aws_cloudwatch_event_rule", "EnvProd_DeployedImageTag_Rule");
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ["aws.ecs"],
      "detail-type": ["ECS Deployment State Change"],
      resources: [ref("aws_ecs_service", "EnvProd_Service", "id")],
      detail: { eventName: ["SERVICE_DEPLOYMENT_COMPLETED"] },
    });
    expect(JSON.parse(one("aws_cloudwatch_event_rule", "EnvStaging_DeployedImageTag_Rule").event_pattern).source).toEqual(["aws.codedeploy"]);
  });
});

describe("ECS-native blue/green: the listener rules", () => {
  test.each([
    ["EnvProd_Deployment_ProductionRule", "EnvProd_LoadBalancer_ProdListener"],
    ["EnvProd_Deployment_TestRule", "EnvProd_LoadBalancer_TestListener"],
  ])("%s forwards every path to blue (100) and green (0) and ignores the weights ECS moves", (rule, listener) => {
    const body = one("aws_lb_listener_rule", rule);
    expect(body.listener_arn).toBe(ref("aws_lb_listener", listener, "arn"));
    expect(body.priority).toBe(1);
    expect(body.condition).toEqual([{ path_pattern: { values: ["/*"] } }]);
    expect(body.action).toEqual([
      {
        type: "forward",
        forward: {
          target_group: [
            { arn: ref("aws_lb_target_group", "EnvProd_LoadBalancer_Blue", "arn"), weight: 100 },
            { arn: ref("aws_lb_target_group", "EnvProd_LoadBalancer_Green", "arn"), weight: 0 },
          ],
        },
      },
    ]);
    expect(body.lifecycle).toEqual({ ignore_changes: ["action"] });
  });
});

describe("ECS-native blue/green: IAM", () => {
  test("the infrastructure role is assumable by ECS for this account only, with the AWS managed load-balancer policy", () => {
    const lbArn = ref("aws_lb", "EnvProd_LoadBalancer", "arn").slice(2, -1);
    const account = `\${element(split(":", ${lbArn}), 4)}`;
    const trust = statements("EnvProd_Deployment_InfrastructureRole_Trust");
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ sid: "TrustService", effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ecs.amazonaws.com"] }] });
    expect(trust[0].condition).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }]);
    const attachment = one("aws_iam_role_policy_attachment", "EnvProd_Deployment_InfrastructureRole_LoadBalancers");
    expect(attachment.policy_arn).toBe(ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY);
    expect(ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY).toBe("arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers");
  });

  test("the hook role may only invoke the smoke-test function", () => {
    expect(statements("EnvProd_Deployment_HookRole_Permissions")).toEqual([
      { sid: "InvokeSmokeTestHook", effect: "Allow", actions: ["lambda:InvokeFunction"], resources: [ref("aws_lambda_function", "EnvProd_SmokeTest_Function", "arn")] },
    ]);
    const trust = statements("EnvProd_Deployment_HookRole_Trust")[0];
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["ecs.amazonaws.com"] }]);
    const lbArn = ref("aws_lb", "EnvProd_LoadBalancer", "arn").slice(2, -1);
    expect(trust.condition).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: [`\${element(split(":", ${lbArn}), 4)}`] }]);
  });

  test("the pipeline may update exactly this service, register and tag its revisions, and pass its task roles", () => {
    const policy = Object.fromEntries(statements("Delivery_Role_Permissions").map((s) => [s.sid, s]));
    expect(policy.EcsDeployServices).toEqual({
      sid: "EcsDeployServices",
      effect: "Allow",
      actions: ["ecs:DescribeServices", "ecs:UpdateService"],
      resources: [ref("aws_ecs_service", "EnvProd_Service", "id")],
    });
    expect(policy.DescribeTaskDefinitions).toEqual({ sid: "DescribeTaskDefinitions", effect: "Allow", actions: ["ecs:DescribeTaskDefinition"], resources: ["*"] });
    expect(policy.PassTaskRolesProd).toEqual({
      sid: "PassTaskRolesProd",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: [ref("aws_iam_role", "EnvProd_Service_TaskRole", "arn"), ref("aws_iam_role", "EnvProd_Service_ExecutionRole", "arn")],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
    });
    expect(policy.PassEcsServiceRolesProd).toEqual({
      sid: "PassEcsServiceRolesProd",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: [ref("aws_iam_role", "EnvProd_Deployment_InfrastructureRole", "arn"), ref("aws_iam_role", "EnvProd_Deployment_HookRole", "arn")],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs.amazonaws.com"] }],
    });
    expect(policy.PassEcsServiceRolesStaging).toBeUndefined();
    expect(policy.TagNewTaskDefinitions.resources).toEqual([
      expect.stringContaining("EnvStaging_Service_TaskDefinition"),
      expect.stringContaining("EnvProd_Service_TaskDefinition"),
    ]);
    expect(policy.TagNewTaskDefinitions.condition).toEqual([{ test: "StringEquals", variable: "ecs:CreateAction", values: ["RegisterTaskDefinition"] }]);
    // CodeDeploy permissions only for the environment that uses it.
    expect(policy.CodeDeployDeploymentGroups.resources).toEqual([ref("aws_codedeploy_deployment_group", "EnvStaging_Deployment_DeploymentGroup", "arn")]);
  });
});

describe("ECS-native blue/green: the pipeline", () => {
  function stage(name: string): Json {
    const pipeline = one("aws_codepipeline", "Delivery_Pipeline");
    return (pipeline.stage as Json[]).find((s) => s.name === name) as Json;
  }

  test("deploys prod with the standard ECS action reading imagedefinitions-prod.json from the build", () => {
    expect(stage("Deploy-prod").action).toEqual([
      {
        name: "BlueGreen",
        category: "Deploy",
        owner: "AWS",
        provider: "ECS",
        version: "1",
        input_artifacts: ["BuildArtifact"],
        configuration: {
          ClusterName: ref("aws_ecs_cluster", "EnvProd_Cluster", "name"),
          ServiceName: ref("aws_ecs_service", "EnvProd_Service", "name"),
          FileName: "imagedefinitions-prod.json",
        },
      },
    ]);
  });

  test("keeps CodeDeployToECS for staging and the approval before prod", () => {
    expect(stage("Deploy-staging").action[0].provider).toBe("CodeDeployToECS");
    expect(stage("Approve-prod")).toBeDefined();
  });

  test("asks the build for the image definitions of prod and the taskdef/appspec of staging", () => {
    const project = one("aws_codebuild_project", "Delivery_Build_Project");
    const variable = (project.environment.environment_variable as Json[]).find((v) => v.name === "DEPLOY_TARGETS");
    const targets = JSON.parse(variable?.value as string) as Json[];
    expect(targets.map((t) => [t.environmentName, t.format])).toEqual([
      ["staging", undefined],
      ["prod", "imagedefinitions"],
    ]);
    expect(project.source.buildspec).toContain("imagedefinitions-*.json");
  });
});

describe("ECS-native blue/green: the 6.x blocks against the typed bindings of @cdktf/provider-aws 21.22.1", () => {
  test("the service's advanced_configuration renders through the provider's own converter", () => {
    const service = one("aws_ecs_service", "EnvProd_Service");
    const typed = ecsServiceLoadBalancerToTerraform({
      containerName: "app",
      containerPort: 8080,
      targetGroupArn: "blue",
      advancedConfiguration: { alternateTargetGroupArn: "green", productionListenerRule: "prod", testListenerRule: "test", roleArn: "role" },
    });
    expect(Object.keys(service.load_balancer[0].advanced_configuration).sort()).toEqual(Object.keys(typed.advanced_configuration as object).sort());
  });

  test("strategy and bake_time_in_minutes are attributes of the provider's deployment_configuration block", () => {
    expect(Object.getOwnPropertyNames(EcsServiceDeploymentConfigurationOutputReference.prototype)).toEqual(
      expect.arrayContaining(["strategy", "bakeTimeInMinutes", "lifecycleHook"]),
    );
  });
});

describe("ECS-native blue/green: the offline copy for provider 5.100.0", () => {
  test("drops only deployment_configuration and advanced_configuration, and lists them as not covered", () => {
    const offline = toOfflineJson(built().aws as never) as Json;
    const name = resources("aws_ecs_service", "EnvProd_Service")[0][0];
    const before = one("aws_ecs_service", "EnvProd_Service");
    const after = offline.resource.aws_ecs_service[name];
    expect(after.deployment_configuration).toBeUndefined();
    expect(after.load_balancer[0].advanced_configuration).toBeUndefined();
    const without = (body: Json, ...keys: string[]) => Object.fromEntries(Object.entries(body).filter(([key]) => !keys.includes(key)));
    expect(without(after, "load_balancer")).toEqual(without(before, "deployment_configuration", "load_balancer"));
    expect(after.load_balancer[0]).toEqual({ target_group_arn: before.load_balancer[0].target_group_arn, container_name: "app", container_port: 8080 });
    expect(OFFLINE_DOWNGRADES.map((d) => d.type)).toEqual(["aws_ecr_repository", "aws_ecs_service"]);
  });

  test("leaves a CodeDeploy service untouched", () => {
    const offline = toOfflineJson(built().aws as never) as Json;
    const name = resources("aws_ecs_service", "EnvStaging_Service")[0][0];
    expect(offline.resource.aws_ecs_service[name]).toEqual(one("aws_ecs_service", "EnvStaging_Service"));
  });
});

describe("ECS-native blue/green: config", () => {
  test("defaults to codedeploy", () => {
    const config = testConfig();
    expect(config.environments.map((e) => e.deploy.strategy)).toEqual(["codedeploy", "codedeploy"]);
  });

  test("refuses the ecs strategy with an ECR image source, naming the key", () => {
    expect(() =>
      testConfig({
        pipeline: { imageSource: "ecr" },
        ecr: { mutableTags: ["release"] },
        environments: [{ name: "prod", strategy: "ecs" }],
      }),
    ).toThrow(/environments\[0\]\.strategy.*imagedefinitions\.json that only the pipeline's build writes/);
  });

  test("refuses a bake time over 1440 minutes", () => {
    let error: unknown;
    try {
      testConfig({ environments: [{ name: "prod", strategy: "ecs", bakeTimeMinutes: 2000 }] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(/environments\[0\]\.bakeTimeMinutes/);
  });
});
