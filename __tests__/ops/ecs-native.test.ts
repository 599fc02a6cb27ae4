/**
 * `bluegreen` on environments ECS deploys itself (config/examples/ecs-native.yaml): ECS service deployments in
 * place of CodeDeploy's, listener rules in place of listeners.
 */
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { GetPipelineStateCommand, StartPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import {
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { CommandName, permissionsFor } from "../../ops/permissions";
import {
  alarmNames,
  deploymentArn,
  ECS_SUCCESS_PATH,
  ecsDeploymentGoesThrough,
  ecsService,
  endedDeployments,
  inFlightDeployments,
  liveEcsEnvironments,
  name,
  revisionArn,
  targetGroupArn,
  taskDefinitionArn,
} from "./ecs-fixtures";
import { actionsCalled, Mocks, mockAws, pipelineState, runOps, synthesized } from "./harness";

const project = synthesized("ecs-native.yaml");
const ID = "AbC1dEf2GhI3";
let mocks: Mocks;
let current: CommandName = "status";
const called: Partial<Record<CommandName, Set<string>>> = {};

beforeEach(() => {
  mocks = mockAws();
  liveEcsEnvironments(mocks);
  mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: alarmNames("prod").map((AlarmName) => ({ AlarmName, StateValue: "OK" })) });
  mocks.codepipeline.on(GetPipelineStateCommand, { name: "catalog" }).resolves(pipelineState(false));
});
afterEach(() => actionsCalled(mocks).forEach((action) => (called[current] ??= new Set()).add(action)));

const ops = (args: string[], options: { tty?: boolean; answers?: boolean[] } = {}) => {
  current = args[0] as CommandName;
  return runOps(args, { ...project, ...options });
};

describe("bluegreen wait on an ECS-native environment", () => {
  beforeEach(() => inFlightDeployments(mocks, "prod", [ID]));

  it("follows the service deployment to SUCCESSFUL, one line per change, exit 0", async () => {
    ecsDeploymentGoesThrough(mocks, "prod", ID, ECS_SUCCESS_PATH);
    const result = await ops(["wait", "--env", "prod"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchSnapshot();
    expect(result.stdout.split("\n").filter((l) => l.includes("· traffic"))).toHaveLength(6);
  });

  it("exits 3 when an alarm makes ECS roll back, naming the alarm", async () => {
    ecsDeploymentGoesThrough(mocks, "prod", ID, [
      { status: "IN_PROGRESS", stage: "BAKE_TIME", traffic: 100 },
      { status: "ROLLBACK_SUCCESSFUL", stage: "CLEAN_UP", alarms: ["catalog-prod-green-target-5xx"], reason: "alarm detected", rollbackReason: "alarm catalog-prod-green-target-5xx" },
    ]);
    const result = await ops(["wait", "--env", "prod"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`prod ${ID}: Failed and rolled back (ALARM: alarm catalog-prod-green-target-5xx fired; alarm detected) after 10s`);
  });

  it("exits 3 when the circuit breaker makes ECS roll back", async () => {
    ecsDeploymentGoesThrough(mocks, "prod", ID, [{ status: "ROLLBACK_SUCCESSFUL", stage: "SCALE_UP", breakerFailures: 3, rollbackReason: "circuit breaker" }]);
    const result = await ops(["wait", "--env", "prod"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`prod ${ID}: Failed and rolled back (CIRCUIT_BREAKER: the circuit breaker counted 3 failed tasks (threshold 3))`);
  });

  it("exits 3 when the smoke-test hook fails", async () => {
    ecsDeploymentGoesThrough(mocks, "prod", ID, [{ status: "ROLLBACK_SUCCESSFUL", stage: "POST_TEST_TRAFFIC_SHIFT", hook: "FAILED" }]);
    const result = await ops(["wait", "--env", "prod"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("hooks POST_TEST_TRAFFIC_SHIFT FAILED");
    expect(result.stdout).toContain("(HOOK_FAILED: hook CodeDeployHook_catalog-prod FAILED)");
  });

  it("exits 4 when someone stops it (rolled back without an alarm, breaker or hook failing)", async () => {
    ecsDeploymentGoesThrough(mocks, "prod", ID, [
      { status: "ROLLBACK_IN_PROGRESS", stage: "PRODUCTION_TRAFFIC_SHIFT", traffic: 0 },
      { status: "ROLLBACK_SUCCESSFUL", stage: "CLEAN_UP", reason: "Service deployment rolled back because of a stop request" },
    ]);
    const result = await ops(["wait", "--env", "prod"]);
    expect(result.code).toBe(4);
    expect(result.stdout).toContain(`prod ${ID}: Stopped and rolled back by someone (ROLLBACK_SUCCESSFUL: Service deployment rolled back because of a stop request)`);
  });

  it("exits 5 after --timeout minutes", async () => {
    ecsDeploymentGoesThrough(mocks, "prod", ID, [{ status: "IN_PROGRESS", stage: "BAKE_TIME", traffic: 100 }]);
    const result = await ops(["wait", "--env", "prod", "--timeout", "1", "--interval", "30"]);
    expect(result.code).toBe(5);
    expect(result.stdout).toContain(`prod ${ID}: still IN_PROGRESS after 1m 00s; stopped watching (the deployment continues)`);
  });

  it("with --start-timeout, waits for the release project to start the service deployment (release.yml)", async () => {
    mocks.ecs
      .on(ListServiceDeploymentsCommand, { cluster: name("staging"), service: name("staging"), status: ["PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"] })
      .resolvesOnce({ serviceDeployments: [] })
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn("staging", ID), status: "PENDING" }] });
    ecsDeploymentGoesThrough(mocks, "staging", ID, [ECS_SUCCESS_PATH[ECS_SUCCESS_PATH.length - 1]]);
    const result = await ops(["wait", "--env", "staging", "--start-timeout", "45", "--timeout", "90"]);
    expect(result.code).toBe(0);
    expect(result.sleeps).toEqual([10_000]);
  });

  it("follows the deployment given by id with --deployment", async () => {
    ecsDeploymentGoesThrough(mocks, "prod", "GiVeN0001", [ECS_SUCCESS_PATH[ECS_SUCCESS_PATH.length - 1]]);
    const result = await ops(["wait", "--env", "prod", "--deployment", "GiVeN0001"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("following prod GiVeN0001 (catalog-prod, ECS BLUE_GREEN)");
  });
});

describe("bluegreen status on an ECS-native environment", () => {
  it("shows image, task definition, tasks, the listener rules' target groups and the last deployment", async () => {
    endedDeployments(mocks, "staging", [
      { id: "OlDeR00001", status: "SUCCESSFUL", minutesAgo: 300 },
      { id: "NeWeR00002", status: "ROLLBACK_SUCCESSFUL", minutesAgo: 60 },
    ]);
    const result = await ops(["status", "--env", "staging"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatchSnapshot();
    expect(result.stdout).toContain("deployment  none in flight (last NeWeR00002 ROLLBACK_SUCCESSFUL 2026-12-01 09:10:00Z)");
  });

  it("shows the service deployment in flight: status, production traffic, lifecycle stage, hooks", async () => {
    inFlightDeployments(mocks, "prod", [ID]);
    ecsDeploymentGoesThrough(mocks, "prod", ID, [{ status: "IN_PROGRESS", stage: "PRODUCTION_TRAFFIC_SHIFT", traffic: 20, hook: "SUCCEEDED" }]);
    const result = await ops(["status", "--env", "prod"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`deployment  ${ID} IN_PROGRESS · traffic 20% · step PRODUCTION_TRAFFIC_SHIFT · hooks POST_TEST_TRAFFIC_SHIFT SUCCEEDED`);
  });

  it("shows the live target group while the service has no listener rules yet", async () => {
    const [balancer] = ecsService("prod").loadBalancers ?? [];
    mocks.ecs.on(DescribeServicesCommand, { cluster: name("prod"), services: [name("prod")] }).resolves({ services: [ecsService("prod", { loadBalancers: [{ ...balancer, advancedConfiguration: undefined }] })] });
    const result = await ops(["status", "--env", "prod"]);
    expect(result.stdout).toContain("production  :80 -> catalog-prod-blue\n");
    expect(result.stdout).toContain("test        -\n");
  });

  it("names the strategy of each environment in --json", async () => {
    const result = await ops(["status", "--json"]);
    const report = JSON.parse(result.stdout) as { environments: { name: string; strategy: string; production: unknown }[] };
    expect(report.environments.map((e) => [e.name, e.strategy])).toEqual([
      ["staging", "ecs"],
      ["prod", "ecs"],
    ]);
    expect(report.environments[1].production).toEqual({ port: 80, targetGroups: [{ name: "catalog-prod-blue", weight: 100 }] });
  });
});

describe("bluegreen stop on an ECS-native environment", () => {
  beforeEach(() => {
    inFlightDeployments(mocks, "prod", [ID]);
    mocks.ecs.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: deploymentArn("prod", ID) });
  });

  it("stops the service deployment in flight with rollback, after saying so", async () => {
    const result = await ops(["stop", "--env", "prod", "--yes"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`will stop service deployment ${ID} of catalog-prod in prod and roll back (ECS returns production traffic to the previous revision)\n`);
    expect(mocks.ecs.commandCalls(StopServiceDeploymentCommand).map((c) => c.args[0].input)).toEqual([{ serviceDeploymentArn: deploymentArn("prod", ID), stopType: "ROLLBACK" }]);
    expect(result.stdout).toBe(`stop requested: ECS is rolling back to the previous revision; npx bluegreen wait --env prod --deployment ${ID} follows it\n`);
  });

  it("refuses --no-rollback (exit 2): ECS stops a service deployment only by rolling it back", async () => {
    const result = await ops(["stop", "--env", "prod", "--no-rollback", "--yes"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("bluegreen stop: prod deploys with ECS, which stops a service deployment only by rolling it back (StopServiceDeployment ROLLBACK); drop --no-rollback\n");
    expect(mocks.ecs.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
  });
});

describe("bluegreen rollback on an ECS-native environment", () => {
  const PREVIOUS = taskDefinitionArn("prod", 8);

  beforeEach(() => {
    mocks.ecs.on(ListServiceDeploymentsCommand, { cluster: name("prod"), service: name("prod"), status: ["SUCCESSFUL"] }).resolves({
      serviceDeployments: [
        { serviceDeploymentArn: deploymentArn("prod", "PrEv000008"), targetServiceRevisionArn: revisionArn("prod", "r8"), status: "SUCCESSFUL", createdAt: new Date(Date.UTC(2026, 10, 30)) },
        { serviceDeploymentArn: deploymentArn("prod", "LiVe000009"), targetServiceRevisionArn: revisionArn("prod", "r9"), status: "SUCCESSFUL", createdAt: new Date(Date.UTC(2026, 11, 1)) },
      ],
    });
    mocks.ecs.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [
        { serviceRevisionArn: revisionArn("prod", "r9"), taskDefinition: taskDefinitionArn("prod", 9) },
        { serviceRevisionArn: revisionArn("prod", "r8"), taskDefinition: PREVIOUS },
      ],
    });
    mocks.ecs.on(UpdateServiceCommand).resolves({ service: ecsService("prod", { taskDefinition: PREVIOUS, currentServiceDeployment: deploymentArn("prod", "RoLlBaCk01") }) });
    ecsDeploymentGoesThrough(mocks, "prod", "RoLlBaCk01", ECS_SUCCESS_PATH);
    mocks.ecs.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: deploymentArn("prod", ID) });
  });

  it("with nothing in flight, updates the service to the previous successful revision's task definition and waits", async () => {
    const result = await ops(["rollback", "--env", "prod", "--yes"]);
    expect(result.code).toBe(0);
    expect(mocks.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: "catalog-prod", service: "catalog-prod", taskDefinition: PREVIOUS }]);
    expect(result.stderr).toBe(
      "will update ECS service catalog-prod in prod to catalog-prod:8 (from service deployment PrEv000008), replacing catalog-prod:9; traffic shifts as the service's BLUE_GREEN strategy says\n",
    );
    expect(result.stdout).toContain("started service deployment RoLlBaCk01\nfollowing prod RoLlBaCk01 (catalog-prod, ECS BLUE_GREEN)");
    expect(result.stdout).toContain("prod RoLlBaCk01: Succeeded after 50s");
    expect(mocks.ecs.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
  });

  it("with a deployment in flight, stops it with rollback and succeeds once ECS rolled it back", async () => {
    inFlightDeployments(mocks, "prod", [ID]);
    ecsDeploymentGoesThrough(mocks, "prod", ID, [{ status: "ROLLBACK_IN_PROGRESS", stage: "PRODUCTION_TRAFFIC_SHIFT" }, { status: "ROLLBACK_SUCCESSFUL", stage: "CLEAN_UP" }]);
    const result = await ops(["rollback", "--env", "prod", "--yes"]);
    expect(result.code).toBe(0);
    expect(mocks.ecs.commandCalls(StopServiceDeploymentCommand).map((c) => c.args[0].input)).toEqual([{ serviceDeploymentArn: deploymentArn("prod", ID), stopType: "ROLLBACK" }]);
    expect(mocks.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(result.stdout).toContain(`prod ${ID}: rolled back to the previous revision after 10s`);
  });

  it("exits 13 when no earlier successful deployment ran another task definition", async () => {
    mocks.ecs.on(DescribeServiceRevisionsCommand).resolves({ serviceRevisions: [{ serviceRevisionArn: revisionArn("prod", "r8"), taskDefinition: taskDefinitionArn("prod", 9) }] });
    const result = await ops(["rollback", "--env", "prod", "--yes"]);
    expect(result.code).toBe(13);
    expect(result.stderr).toContain("no earlier successful service deployment of catalog-prod with another task definition than catalog-prod:9 (looked at 2)");
    expect(mocks.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});

describe("bluegreen verify on an ECS-native environment", () => {
  beforeEach(() => {
    for (const env of ["staging", "prod"] as const) {
      for (const suffix of ["task", "task-execution"]) {
        const RoleName = `${name(env)}-${suffix}`;
        const trust = { Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };
        mocks.iam.on(GetRoleCommand, { RoleName }).resolves({ Role: { RoleName, Path: "/", RoleId: "AROA", Arn: `arn:aws:iam::123456789012:role/${RoleName}`, CreateDate: new Date(0), AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)) } });
      }
      mocks.logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: `/ecs/${name(env)}` }).resolves({ logGroups: [{ logGroupName: `/ecs/${name(env)}` }] });
      mocks.elbv2.on(DescribeTargetGroupsCommand, { Names: [`${name(env)}-blue`, `${name(env)}-green`] }).resolves({
        TargetGroups: (["blue", "green"] as const).map((color) => ({ TargetGroupName: `${name(env)}-${color}`, TargetGroupArn: targetGroupArn(env, color), Port: 8080, HealthCheckPath: "/healthz", HealthCheckPort: "traffic-port" })),
      });
    }
  });

  it("checks the service's ECS blue/green wiring instead of a deployment group (exit 0)", async () => {
    const result = await ops(["verify", "--env", "prod"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("  ok    ECS BLUE_GREEN of catalog-prod/catalog-prod: bake 15 min, catalog-prod-blue + catalog-prod-green, listener rules on catalog-prod-alb\n");
    expect(result.stdout).toContain("all 7 checks passed");
  });

  it("fails the wiring check when the live service is not on the synthesized strategy, hook or rollback triggers (exit 6)", async () => {
    const live = ecsService("prod");
    mocks.ecs.on(DescribeServicesCommand, { cluster: name("prod"), services: [name("prod")] }).resolves({
      services: [{ ...live, deploymentConfiguration: { strategy: "ROLLING", bakeTimeInMinutes: 15, lifecycleHooks: [], deploymentCircuitBreaker: { enable: true, rollback: false } } }],
    });
    const result = await ops(["verify", "--env", "prod"]);
    expect(result.code).toBe(6);
    expect(result.stdout).toContain(
      "  FAIL  ECS BLUE_GREEN of catalog-prod/catalog-prod: strategy is ROLLING, expected BLUE_GREEN; lifecycle hook CodeDeployHook_catalog-prod is not configured; circuit breaker with rollback is off; alarm rollback is off\n",
    );
  });
});

describe("bluegreen release on an ECS-only config", () => {
  it("starts the pipeline and names both environments", async () => {
    mocks.codepipeline.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: "e-ecs" });
    const result = await ops(["release"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("starting pipeline catalog: build and deploy to staging, then prod\n");
  });
});

describe("the IAM actions of ECS-native environments", () => {
  it.each(["status", "wait", "stop", "rollback", "verify", "release"] as const)("%s calls exactly the ECS strategy's actions of the permission table", (command) => {
    expect([...(called[command] ?? [])].filter((a) => a !== "sts:GetCallerIdentity").sort()).toEqual(permissionsFor(command, "ecs"));
  });
});
