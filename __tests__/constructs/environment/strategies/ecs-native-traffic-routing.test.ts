import { EcsServiceDeploymentConfigurationOutputReference, ecsServiceLoadBalancerToTerraform } from "@cdktf/provider-aws/lib/ecs-service";
import { ConfigError } from "../../../../config";
import { ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY } from "../../../../constructs/environment/strategies/ecs-native-traffic-routing";
import { EcsNativeStrategy } from "../../../../constructs/environment/strategies/ecs-native";
import { OFFLINE_DOWNGRADES, toOfflineJson } from "../../../../tools/offline-terraform";
import { synthProject, testConfig } from "../../../helpers/synth";
import { once } from "../../../helpers/shared";

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

  test("the pipeline may only start and follow the release projects (no ECS or task-role grants of its own for prod)", () => {
    const policy = Object.fromEntries(statements("Delivery_Role_Permissions").map((s) => [s.sid, s]));
    expect(policy.StartReleases).toEqual({
      sid: "StartReleases",
      effect: "Allow",
      actions: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
      resources: [ref("aws_codebuild_project", "EnvProd_Deployment_Release_Project", "arn")],
    });
    expect(policy.EcsDeployServices).toBeUndefined();
    expect(policy.PassTaskRolesProd).toBeUndefined();
    expect(policy.PassEcsServiceRolesProd).toBeUndefined();
    // CodeDeploy permissions (and the task-role pass they need) only for the environment that uses it.
    expect(policy.PassTaskRolesStaging).toBeDefined();
    expect(policy.CodeDeployDeploymentGroups.resources).toEqual([ref("aws_codedeploy_deployment_group", "EnvStaging_Deployment_DeploymentGroup", "arn")]);
  });

  test("the release role registers and tags revisions of prod's family, passes its task roles to ECS tasks, and updates and follows only prod's service", () => {
    const policy = Object.fromEntries(statements("EnvProd_Deployment_Release_Role_Permissions").map((s) => [s.sid, s]));
    const service = ref("aws_ecs_service", "EnvProd_Service", "id");
    const serviceId = service.slice(2, -1);
    expect(Object.keys(policy)).toEqual([
      "ArtifactBucket", "ArtifactObjectsRead", "ArtifactKeyRead", "RegisterTaskDefinitions", "TagNewTaskDefinitions", "PassTaskRolesProd",
      "ReleaseService", "FollowServiceDeployments", "ReleaseLogs",
    ]);
    expect(policy.RegisterTaskDefinitions).toEqual({ sid: "RegisterTaskDefinitions", effect: "Allow", actions: ["ecs:RegisterTaskDefinition"], resources: ["*"] });
    expect(policy.TagNewTaskDefinitions).toEqual({
      sid: "TagNewTaskDefinitions",
      effect: "Allow",
      actions: ["ecs:TagResource"],
      resources: [`${ref("aws_ecs_task_definition", "EnvProd_Service_TaskDefinition", "arn_without_revision")}:*`],
      condition: [{ test: "StringEquals", variable: "ecs:CreateAction", values: ["RegisterTaskDefinition"] }],
    });
    expect(policy.PassTaskRolesProd).toEqual({
      sid: "PassTaskRolesProd",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: [ref("aws_iam_role", "EnvProd_Service_TaskRole", "arn"), ref("aws_iam_role", "EnvProd_Service_ExecutionRole", "arn")],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
    });
    expect(policy.ReleaseService).toEqual({
      sid: "ReleaseService",
      effect: "Allow",
      actions: ["ecs:DescribeServices", "ecs:UpdateService", "ecs:ListServiceDeployments"],
      resources: [service],
    });
    expect(policy.FollowServiceDeployments).toEqual({
      sid: "FollowServiceDeployments",
      effect: "Allow",
      actions: ["ecs:DescribeServiceDeployments", "ecs:DescribeServiceRevisions"],
      resources: [
        service,
        `\${replace(${serviceId}, ":service/", ":service-deployment/")}/*`,
        `\${replace(${serviceId}, ":service/", ":service-revision/")}/*`,
      ],
    });
    expect(policy.ReleaseLogs.resources).toEqual([`${ref("aws_cloudwatch_log_group", "EnvProd_Deployment_Release_LogGroup", "arn")}:*`]);
  });

  test("the release role is assumable by CodeBuild for its own project in this account only", () => {
    const trust = statements("EnvProd_Deployment_Release_Role_Trust")[0];
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["codebuild.amazonaws.com"] }]);
    expect(trust.condition.map((c: Json) => [c.test, c.variable])).toEqual([
      ["StringEquals", "aws:SourceAccount"],
      ["ArnEquals", "aws:SourceArn"],
    ]);
    expect(trust.condition[1].values[0]).toMatch(/:project\/demo-prod-release$/);
  });
});

describe("ECS-native blue/green: the pipeline", () => {
  function stage(name: string): Json {
    const pipeline = one("aws_codepipeline", "Delivery_Pipeline");
    return (pipeline.stage as Json[]).find((s) => s.name === name) as Json;
  }

  test("deploys prod with its release project (CodeBuild) on the build's output", () => {
    expect(stage("Deploy-prod").action).toEqual([
      {
        name: "BlueGreen",
        category: "Build",
        owner: "AWS",
        provider: "CodeBuild",
        version: "1",
        input_artifacts: ["BuildArtifact"],
        configuration: { ProjectName: "demo-prod-release" },
      },
    ]);
  });

  test("the release project runs the release script on the build's artifact, for prod's cluster and service, encrypted with the artifact key", () => {
    const project = one("aws_codebuild_project", "EnvProd_Deployment_Release_Project");
    expect(project.name).toBe("demo-prod-release");
    expect(project.source.type).toBe("CODEPIPELINE");
    expect(project.source.buildspec).toContain("node /tmp/release.cjs");
    expect(project.environment.privileged_mode).toBeUndefined();
    expect(project.encryption_key).toBe(ref("aws_kms_key", "Delivery_Artifacts_Key", "arn"));
    expect(project.environment.environment_variable).toEqual([
      { name: "CLUSTER", value: ref("aws_ecs_cluster", "EnvProd_Cluster", "name") },
      { name: "SERVICE", value: ref("aws_ecs_service", "EnvProd_Service", "name") },
      { name: "ENVIRONMENT_NAME", value: "prod" },
    ]);
    // 10-minute bake, traffic all at once, 60 minutes for tasks, hooks and rollback.
    expect(project.build_timeout).toBe(70);
  });

  test("keeps CodeDeployToECS for staging and the approval before prod", () => {
    expect(stage("Deploy-staging").action[0].provider).toBe("CodeDeployToECS");
    expect(stage("Approve-prod")).toBeDefined();
  });

  test("asks the build for the complete revision of prod and the taskdef/appspec of staging", () => {
    const project = one("aws_codebuild_project", "Delivery_Build_Project");
    const variable = (project.environment.environment_variable as Json[]).find((v) => v.name === "DEPLOY_TARGETS");
    const targets = JSON.parse(variable?.value as string) as Json[];
    expect(targets.map((t) => [t.environmentName, t.format])).toEqual([
      ["staging", undefined],
      ["prod", "revision"],
    ]);
    expect(project.source.buildspec).toContain("revision-*.json");
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
    ).toThrow(/environments\[0\]\.strategy.*revision that only the pipeline's build renders/);
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

describe("ECS-native traffic shifting: linear and canary", () => {
  const shifted = once(() =>
    synthProject(
      testConfig({
        environments: [
          { name: "staging", deploy: { strategy: "ecs", bakeTimeMinutes: 5, traffic: { type: "linear", stepPercent: 20, stepMinutes: 2 } } },
          { name: "prod", deploy: { strategy: "ecs", bakeTimeMinutes: 15, traffic: { type: "canary", canaryPercent: 10, canaryMinutes: 5 } } },
        ],
      }),
    ),
  );
  const service = (prefix: string) =>
    Object.entries(shifted().aws.resource.aws_ecs_service).find(([id]) => id.startsWith(prefix))?.[1] as Json;

  test("shifts staging in 20% steps two minutes apart (ECS LINEAR), then bakes", () => {
    expect(service("EnvStaging_Service").deployment_configuration).toMatchObject({
      strategy: "LINEAR",
      linear_configuration: { step_percent: 20, step_bake_time_in_minutes: "2" },
      bake_time_in_minutes: "5",
    });
  });

  test("sends 10% of prod's traffic to the canary for 5 minutes (ECS CANARY), then the rest, then bakes", () => {
    const configuration = service("EnvProd_Service").deployment_configuration;
    expect(configuration).toMatchObject({ strategy: "CANARY", canary_configuration: { canary_percent: 10, canary_bake_time_in_minutes: "5" }, bake_time_in_minutes: "15" });
    expect(configuration.linear_configuration).toBeUndefined();
  });

  test("gives each release step the shift, the bake time and an hour of slack (staging: 4 steps x 2 + 5 + 60)", () => {
    const projects = shifted().aws.resource.aws_codebuild_project as Json;
    const timeout = (prefix: string) => Object.entries(projects).find(([id]) => id.startsWith(prefix))?.[1].build_timeout;
    expect([timeout("EnvStaging_Deployment_Release"), timeout("EnvProd_Deployment_Release")]).toEqual([73, 80]);
  });

  test("describes itself to the tools with its ECS strategy and traffic shift", () => {
    const { stacks } = shifted();
    const staging = stacks.firstDelivery.environments.find((e) => e.config.name === "staging");
    expect(staging?.runtime.deployment.describe()).toEqual({
      kind: "ecs",
      ecsStrategy: "LINEAR",
      traffic: { type: "TimeBasedLinear", percentage: 20, intervalMinutes: 2 },
      bakeTimeMinutes: 5,
      hooks: [{ stage: "POST_TEST_TRAFFIC_SHIFT", functionName: "CodeDeployHook_demo-staging" }],
      releaseProject: "demo-staging-release",
      autoRollback: { circuitBreaker: true, alarms: true },
    });
  });

  test("refuses a linear step below ECS's 3 percent", () => {
    expect(() => new EcsNativeStrategy({ bakeTimeMinutes: 0, traffic: { type: "linear", stepPercent: 2.5, stepMinutes: 1 } })).toThrow(
      "EcsNativeStrategy: linear stepPercent must be 3.0-100.0 in steps of 0.1 (got 2.5)",
    );
  });
});
