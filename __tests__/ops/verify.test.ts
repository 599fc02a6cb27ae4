import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeImagesCommand } from "@aws-sdk/client-ecr";
import { GetDeploymentGroupCommand } from "@aws-sdk/client-codedeploy";
import { DescribeListenersCommand, DescribeTargetGroupsCommand, TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetRoleCommand, Role } from "@aws-sdk/client-iam";
import { permissionsFor } from "../../ops/permissions";
import { actionsCalled, groupInfo, listenerArn, Mocks, mockAws, runOps, synthesized, targetGroupArn } from "./harness";
import { listener, liveEnvironments } from "./live-fixtures";

const project = synthesized("default.yaml");
let mocks: Mocks;
const called = new Set<string>();

const ECS_TASKS_TRUST = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };

function role(name: string, trust: object = ECS_TASKS_TRUST): Role {
  return { RoleName: name, Path: "/", RoleId: "AROAEXAMPLE", Arn: `arn:aws:iam::123456789012:role/${name}`, CreateDate: new Date(0), AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)) };
}

function targetGroup(env: string, color: "blue" | "green", overrides: Partial<TargetGroup> = {}): TargetGroup {
  return { TargetGroupName: `bluegreen-demo-${env}-${color}`, TargetGroupArn: targetGroupArn(env, color), Port: 8080, HealthCheckPath: "/health", HealthCheckPort: "traffic-port", ...overrides };
}

beforeEach(() => {
  mocks = mockAws();
  liveEnvironments(mocks);
  for (const env of ["staging", "prod"] as const) {
    groupInfo(mocks, env);
    for (const suffix of ["task", "task-execution"]) {
      mocks.iam.on(GetRoleCommand, { RoleName: `bluegreen-demo-${env}-${suffix}` }).resolves({ Role: role(`bluegreen-demo-${env}-${suffix}`) });
    }
    mocks.logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: `/ecs/bluegreen-demo-${env}` }).resolves({ logGroups: [{ logGroupName: `/ecs/bluegreen-demo-${env}` }] });
    mocks.elbv2
      .on(DescribeTargetGroupsCommand, { Names: [`bluegreen-demo-${env}-blue`, `bluegreen-demo-${env}-green`] })
      .resolves({ TargetGroups: [targetGroup(env, "blue"), targetGroup(env, "green")] });
  }
});
afterEach(() => actionsCalled(mocks).forEach((action) => called.add(action)));

const verify = (args: string[] = []) => runOps(["verify", ...args], project);

describe("bluegreen verify", () => {
  it("prints ok for every check when the account matches synth (exit 0)", async () => {
    const result = await verify();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchSnapshot();
    expect(result.stdout).toContain("all 14 checks passed");
  });

  it("fails the checks that do not hold, and exits 6", async () => {
    mocks.iam.on(GetRoleCommand, { RoleName: "bluegreen-demo-prod-task" }).resolves({
      Role: role("bluegreen-demo-prod-task", { Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
    });
    mocks.iam.on(GetRoleCommand, { RoleName: "bluegreen-demo-prod-task-execution" }).rejects(Object.assign(new Error("The role with name bluegreen-demo-prod-task-execution cannot be found."), { name: "NoSuchEntityException" }));
    mocks.logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: "/ecs/bluegreen-demo-prod" }).resolves({ logGroups: [] });
    mocks.elbv2
      .on(DescribeTargetGroupsCommand, { Names: ["bluegreen-demo-prod-blue", "bluegreen-demo-prod-green"] })
      .resolves({ TargetGroups: [targetGroup("prod", "blue", { HealthCheckPath: "/" }), targetGroup("prod", "green", { Port: 80, HealthCheckPort: "81" })] });
    mocks.ecr.on(DescribeImagesCommand).rejects(Object.assign(new Error("The image with imageId {imageTag:'3f2a1c9'} does not exist"), { name: "ImageNotFoundException" }));
    const result = await verify(["--env", "prod"]);
    expect(result.code).toBe(6);
    const fails = result.stdout.split("\n").filter((line) => line.startsWith("  FAIL"));
    expect(fails).toEqual([
      "  FAIL  image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/bluegreen-demo:3f2a1c9 is not in ECR (expired? ecr.keepTaggedImages)",
      "  FAIL  task role bluegreen-demo-prod-task does not trust ecs-tasks.amazonaws.com",
      "  FAIL  execution role bluegreen-demo-prod-task-execution: iam:GetRole says NoSuchEntityException: The role with name bluegreen-demo-prod-task-execution cannot be found.; deploy the stack first (npx cdktf deploy)",
      "  FAIL  log group /ecs/bluegreen-demo-prod does not exist",
      "  FAIL  target group bluegreen-demo-prod-blue: health-check path / is not /health",
      "  FAIL  target group bluegreen-demo-prod-green: port 80 is not the container port 8080; health-check port 81 is not traffic-port or 8080",
    ]);
    expect(result.stdout).toContain("6 of 7 checks failed");
  });

  it("fails when the deployment group points elsewhere than synth expects", async () => {
    mocks.codedeploy.on(GetDeploymentGroupCommand, { deploymentGroupName: "bluegreen-demo-prod" }).resolves({
      deploymentGroupInfo: {
        ecsServices: [{ clusterName: "bluegreen-demo-prod", serviceName: "bluegreen-demo-prod-old" }],
        loadBalancerInfo: {
          targetGroupPairInfoList: [
            {
              targetGroups: [{ name: "bluegreen-demo-prod-blue" }, { name: "legacy-green" }],
              prodTrafficRoute: { listenerArns: [listenerArn("prod", "test")] },
              testTrafficRoute: { listenerArns: [listenerArn("prod", "prod")] },
            },
          ],
        },
      },
    });
    mocks.elbv2.on(DescribeListenersCommand).resolves({ Listeners: [listener("prod", "prod", "green"), listener("prod", "test", "green")] });
    const result = await verify(["--env", "prod"]);
    expect(result.code).toBe(6);
    expect(result.stdout).toContain(
      "  FAIL  deployment group bluegreen-demo-prod: ECS service is bluegreen-demo-prod/bluegreen-demo-prod-old, expected bluegreen-demo-prod/bluegreen-demo-prod; " +
        "target groups are bluegreen-demo-prod-blue, legacy-green, expected bluegreen-demo-prod-blue, bluegreen-demo-prod-green; " +
        "production listener is port 8443 of arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/bluegreen-demo-prod-alb/50dc6c495c0c9188, expected port 80 of bluegreen-demo-prod-alb; " +
        "test listener is port 80 of arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/bluegreen-demo-prod-alb/50dc6c495c0c9188, expected port 8443 of bluegreen-demo-prod-alb\n",
    );
  });

  it("fails the deployment-group check when the group does not exist", async () => {
    mocks.codedeploy
      .on(GetDeploymentGroupCommand, { deploymentGroupName: "bluegreen-demo-prod" })
      .rejects(Object.assign(new Error("No Deployment Group found for name: bluegreen-demo-prod"), { name: "DeploymentGroupDoesNotExistException" }));
    const result = await verify(["--env", "prod"]);
    expect(result.code).toBe(6);
    expect(result.stdout).toContain(
      "  FAIL  deployment group: codedeploy:GetDeploymentGroup says DeploymentGroupDoesNotExistException: No Deployment Group found for name: bluegreen-demo-prod; deploy the stack first (npx cdktf deploy)\n",
    );
  });

  it("writes the checks as JSON with --json", async () => {
    const result = await verify(["--json", "--env", "staging"]);
    const report = JSON.parse(result.stdout) as { checks: { env: string; ok: boolean; text: string }[] };
    expect(report.checks.every((c) => c.ok && c.env === "staging")).toBe(true);
    expect(report.checks).toHaveLength(7);
  });

  it("calls exactly the IAM actions the permission table lists for verify", () => {
    expect([...called].filter((a) => a !== "sts:GetCallerIdentity").sort()).toEqual(permissionsFor("verify", "codedeploy"));
  });
});
